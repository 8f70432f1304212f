package dev.k3sbox.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code k3sbox kubeconfig}: print a cluster's kubeconfig, or its path. */
@Command(
    name = "kubeconfig",
    mixinStandardHelpOptions = true,
    description = {
      "Print the kubeconfig of a cluster, or its path with --path.",
      "For kubectl and helm in this shell:",
      "  export KUBECONFIG=$(k3sbox kubeconfig --path)"
    })
public final class KubeconfigCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin ClusterNameOption cluster;

  @Option(names = "--path", description = "Print the file's path instead of its content.")
  boolean path;

  @Override
  public Integer call() throws Exception {
    var out = global.console().out();
    Path file = ClusterContext.manager(global.console()).kubeconfigFile(cluster.name());
    out.print(path ? file + System.lineSeparator() : Files.readString(file));
    out.flush();
    return 0;
  }
}
