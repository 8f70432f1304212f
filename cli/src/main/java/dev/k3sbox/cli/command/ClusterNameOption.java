package dev.k3sbox.cli.command;

import dev.k3sbox.core.cluster.ClusterName;
import picocli.CommandLine.Option;

/**
 * {@code --name}: which k3sbox cluster a lifecycle command acts on. {@code $K3SBOX_CLUSTER} sets
 * the default for a whole shell or CI job, as {@code KIND_CLUSTER_NAME} does for kind.
 */
public final class ClusterNameOption {
  /** The default of every {@code --name}: {@code $K3SBOX_CLUSTER}, else {@code default}. */
  static final String DEFAULT = "${env:K3SBOX_CLUSTER:-" + ClusterName.DEFAULT + "}";

  @Option(
      names = "--name",
      defaultValue = DEFAULT,
      description = "Cluster name (default: $K3SBOX_CLUSTER, else " + ClusterName.DEFAULT + ").")
  String name;

  public String name() {
    return name;
  }
}
