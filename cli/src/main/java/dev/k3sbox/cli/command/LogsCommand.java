package dev.k3sbox.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code k3sbox logs}: the server's log. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = "Print the k3s server's log; --follow keeps streaming it.")
public final class LogsCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin ClusterNameOption cluster;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep streaming new lines.")
  boolean follow;

  @Option(names = "--tail", description = "Only the last N lines.")
  Integer tail;

  @Override
  public Integer call() {
    var out = global.console().out();
    ClusterManagers.fromEnvironment(global.console())
        .logs(
            cluster.name(),
            follow,
            tail,
            line -> {
              out.println(line);
              out.flush();
            });
    return 0;
  }
}
