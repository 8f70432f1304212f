package dev.k3sbox.cli.command;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.state.StateDir;
import dev.k3sbox.helm.cluster.KubeTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which cluster {@code validate}, {@code install} and {@code uninstall} talk to: any cluster by
 * {@code --kubeconfig [--context]}, else the k3sbox cluster {@code --name}.
 */
public final class KubeTargetOptions {
  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Use this kubeconfig (any cluster) instead of a k3sbox cluster's.")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "CONTEXT",
      description = "The kubeconfig context to use (default: its current context).")
  String context;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = ClusterNameOption.DEFAULT,
      description =
          "The k3sbox cluster to use when no --kubeconfig is given (default: $K3SBOX_CLUSTER,"
              + " else default).")
  String name;

  /** The k3sbox cluster named by --name (or $K3SBOX_CLUSTER). */
  public String name() {
    return name;
  }

  /** Whether the target is a cluster k3sbox made (no --kubeconfig). */
  public boolean isK3sboxCluster() {
    return kubeconfig == null;
  }

  /** The target, or one line saying which cluster is missing and how to get it. */
  public KubeTarget target() {
    if (kubeconfig != null) {
      if (!Files.isRegularFile(kubeconfig)) {
        throw new K3sboxException(
            Failure.USAGE, "kubeconfig " + kubeconfig + " not found; check the --kubeconfig path");
      }
      return new KubeTarget(kubeconfig, context);
    }
    Path k3sbox =
        ClusterManager.readyKubeconfig(StateDir.fromEnvironment(), name, "pass --kubeconfig");
    return new KubeTarget(k3sbox, context);
  }
}
