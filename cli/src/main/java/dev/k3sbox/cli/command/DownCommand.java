package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.cluster.ClusterManager.Scope;
import dev.k3sbox.core.cluster.ClusterName;
import dev.k3sbox.core.state.StateDir;
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
      "Remove a cluster: its container, data volume and kubeconfig.",
      "Removes the container, the data volume (unless --keep-data) and the kubeconfig context."
          + " Touches only what k3sbox labelled. Succeeds when the cluster is already gone."
    })
public final class DownCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin ClusterNameOption cluster;

  @Option(
      names = "--all",
      description =
          "Remove every cluster of this state dir (K3SBOX_HOME); not with --name. Clusters that"
              + " another user or state dir made on the same daemon are left alone.")
  boolean all;

  @Option(
      names = "--any-state-dir",
      description =
          "With --all: remove every k3sbox cluster on the daemon, whichever state dir made it.")
  boolean anyStateDir;

  @Option(
      names = "--keep-data",
      description = "Keep the data volume, so the next `up` has the same objects.")
  boolean keepData;

  @Option(names = "--stop-docker", description = "Also stop dockerd, if k3sbox started it.")
  boolean stopDocker;

  /**
   * The version servers a matrix run made for {@code name} ({@code name-v1-37}) are clusters of
   * their own, with their own data: removing them with it would remove more than was named, so they
   * are only pointed out, with how to remove them.
   */
  private static void sayVersionServersLeft(Console console, String name) {
    ClusterManager manager = ClusterManagers.fromEnvironment(console);
    List<String> all;
    try {
      all = manager.names();
    } catch (RuntimeException e) {
      return; // a hint only: no daemon to ask is no reason to fail a finished `down`
    }
    List<String> left =
        all.stream()
            .filter(n -> n.matches(java.util.regex.Pattern.quote(name) + "-v1-[0-9]+"))
            .filter(n -> manager.recorded(n).isPresent())
            .toList();
    if (!left.isEmpty()) {
      console.info(
          "the Kubernetes version servers of "
              + name
              + " keep running: "
              + String.join(", ", left)
              + " (`k3sbox down --name` each, or `k3sbox down --all`)");
    }
  }

  @Override
  public Integer call() {
    // Destructive commands need an exact target: --all with --name would be one of them ignored.
    if (all && global.spec.commandLine().getParseResult().hasMatchedOption("--name")) {
      throw new K3sboxException(
          Failure.USAGE,
          "--all and --name cannot be used together; pass --name NAME for one cluster,"
              + " or --all for every cluster of this state dir");
    }
    if (anyStateDir && !all) {
      throw new K3sboxException(
          Failure.USAGE, "--any-state-dir only widens --all; pass --all --any-state-dir");
    }
    Console console = global.console();
    Scope scope = !all ? Scope.NAMED : anyStateDir ? Scope.DAEMON : Scope.STATE_DIR;
    List<String> removed =
        ClusterManagers.fromEnvironment(console)
            .down(
                all ? List.of() : List.of(ClusterName.validate(cluster.name())),
                scope,
                keepData,
                stopDocker);
    if (removed.isEmpty()) {
      console.done(
          all
              ? "no k3sbox clusters of " + StateDir.fromEnvironment().root() + " to remove"
              : "cluster " + cluster.name() + " is not there; nothing to do");
    } else {
      console.done(
          "removed " + String.join(", ", removed) + (keepData ? " (data volume kept)" : ""));
    }
    if (!all) {
      sayVersionServersLeft(console, cluster.name());
    }
    return 0;
  }
}
