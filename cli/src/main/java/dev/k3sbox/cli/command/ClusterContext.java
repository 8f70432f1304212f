package dev.k3sbox.cli.command;

import dev.k3sbox.cli.VersionInfo;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.kubeconfig.KubeconfigMerger;
import dev.k3sbox.core.state.StateDir;

/** Builds the core services a lifecycle command uses, from the environment. */
final class ClusterContext {
  private ClusterContext() {}

  static ClusterManager manager(Progress progress) {
    return new ClusterManager(
        StateDir.fromEnvironment(),
        progress,
        VersionInfo.k3sbox(),
        KubeconfigMerger.fromEnvironment());
  }
}
