package dev.k3sbox.cli.command;

import dev.k3sbox.core.cluster.ClusterName;
import picocli.CommandLine.Option;

/** {@code --name}: which k3sbox cluster a lifecycle command acts on. */
public final class ClusterNameOption {
  @Option(
      names = "--name",
      defaultValue = ClusterName.DEFAULT,
      description = "Cluster name (default: ${DEFAULT-VALUE}).")
  String name;

  public String name() {
    return name;
  }
}
