package dev.k3sbox.cli.command;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
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

  /** The file as text; one line, not the decoder's "Input length = 1", when it is not. */
  private String read(Path file) throws IOException {
    try {
      return Files.readString(file);
    } catch (CharacterCodingException e) {
      throw new K3sboxException(
          Failure.KUBECONFIG,
          file
              + " is not text (not UTF-8), so not the kubeconfig k3sbox wrote; `k3sbox up --name "
              + cluster.name()
              + "` writes it again");
    }
  }

  @Override
  public Integer call() throws Exception {
    var out = global.console().out();
    Path file = ClusterManagers.fromEnvironment(global.console()).kubeconfigFile(cluster.name());
    out.print(path ? file + System.lineSeparator() : read(file));
    out.flush();
    return 0;
  }
}
