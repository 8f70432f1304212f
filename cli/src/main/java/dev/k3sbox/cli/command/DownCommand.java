package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.cluster.ClusterName;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code k3sbox down}: remove clusters and what k3sbox wrote for them. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Remove a cluster: its container, its data volume (unless --keep-data) and its kubeconfig",
      "context. Touches only what k3sbox labelled. Succeeds when the cluster is already gone."
    })
public final class DownCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin ClusterNameOption cluster;

  @Option(names = "--all", description = "Remove every k3sbox cluster.")
  boolean all;

  @Option(
      names = "--keep-data",
      description = "Keep the data volume, so the next `up` has the same objects.")
  boolean keepData;

  @Option(names = "--stop-docker", description = "Also stop dockerd, if k3sbox started it.")
  boolean stopDocker;

  @Override
  public Integer call() {
    Console console = global.console();
    List<String> removed =
        ClusterContext.manager(console)
            .down(
                all ? List.of() : List.of(ClusterName.validate(cluster.name())),
                all,
                keepData,
                stopDocker);
    if (removed.isEmpty()) {
      console.done(
          all
              ? "no k3sbox clusters to remove"
              : "cluster " + cluster.name() + " is not there; nothing to do");
    } else {
      console.done(
          "removed " + String.join(", ", removed) + (keepData ? " (data volume kept)" : ""));
    }
    return 0;
  }
}
