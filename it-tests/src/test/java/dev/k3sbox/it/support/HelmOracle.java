package dev.k3sbox.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Helm CLI, built from its Go module by scripts/test ({@code it-tests/helm-cli}, the
 * version k3sbox's engine embeds): where Helm defines the behaviour, a test does the same with it
 * and compares. Its home (config, cache, data) is a folder of its own, never the user's.
 */
public final class HelmOracle {
  private final Path binary;
  private final Path home;

  private HelmOracle(Path binary, Path home) {
    this.binary = binary;
    this.home = home;
  }

  /** The Helm CLI, with {@code home} for its state; fails when scripts/test has not built it. */
  public static HelmOracle in(Path home) {
    Path binary = Path.of(System.getProperty("k3sbox.helmCli", "helm-cli/target/helm"));
    assertThat(Files.isExecutable(binary))
        .as(
            "the Helm CLI at %s (scripts/test builds it: cd it-tests/helm-cli && go build -o"
                + " target/helm helm.sh/helm/v3/cmd/helm)",
            binary)
        .isTrue();
    return new HelmOracle(binary, home);
  }

  /** {@code helm ARGS --kubeconfig KUBECONFIG}; its exit code and output. */
  public Result run(Path kubeconfig, String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    Map<String, String> env = builder.environment();
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    env.put("XDG_DATA_HOME", home.resolve("data").toString());
    env.remove("KUBECONFIG");
    try {
      Files.createDirectories(home);
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      byte[] err = process.getErrorStream().readAllBytes();
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("helm %s finished", args[0]).isTrue();
      return new Result(
          process.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  public record Result(int exitCode, String out, String err) {}
}
