package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.cluster.ClusterStatus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code k3sbox list}: every k3sbox cluster, as kind's {@code get clusters} and k3d's list. */
@Command(
    name = "list",
    aliases = "ls",
    mixinStandardHelpOptions = true,
    description = {
      "List the k3sbox clusters with their state, server and version.",
      "Every k3sbox cluster of this state dir (K3SBOX_HOME) and those of the Docker daemon,"
          + " with its state, server, Kubernetes version and image."
    })
public final class ListCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  StatusCommand.Format output;

  @Override
  public Integer call() throws Exception {
    Console console = global.console();
    List<ClusterStatus> clusters = ClusterManagers.fromEnvironment(console).list();
    var out = console.out();
    if (output == StatusCommand.Format.json) {
      out.println(ClusterStatus.toJson(clusters));
    } else if (clusters.isEmpty()) {
      console.info("no k3sbox clusters; `k3sbox up` makes one");
    } else {
      String row = "%-20s %-10s %-28s %-16s %s%n";
      out.printf(row, "NAME", "STATE", "SERVER", "KUBERNETES", "IMAGE");
      for (ClusterStatus c : clusters) {
        out.printf(
            row,
            c.name(),
            c.state(),
            c.server() == null ? "-" : c.server(),
            c.kubernetesVersion() == null ? "-" : c.kubernetesVersion(),
            c.image() == null ? "-" : c.image());
      }
    }
    out.flush();
    return 0;
  }
}
