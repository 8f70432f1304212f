package dev.k3sbox.cli.command;

import dev.k3sbox.cli.VersionInfo;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.kubeconfig.KubeconfigMerger;
import dev.k3sbox.core.state.StateDir;

/** The cluster manager a lifecycle command uses, made from the environment ($HOME, $KUBECONFIG). */
final class ClusterManagers {
  private ClusterManagers() {}

  static ClusterManager fromEnvironment(Progress progress) {
    return new ClusterManager(
        StateDir.fromEnvironment(),
        progress,
        VersionInfo.k3sbox(),
        KubeconfigMerger.fromEnvironment());
  }
}
