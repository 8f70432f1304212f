package dev.k3sbox.it.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A user's shell for the tests of what users install and run: commands see only the variables given
 * (plus {@code DOCKER_HOST}, where the daemon is), none of the build's, and are looked up on the
 * given {@code PATH}.
 */
final class Shell {
  // Maven runs the integration tests in it-tests/, beside cli/.
  private static final Path CLI_TARGET =
      Path.of("..", "cli", "target").toAbsolutePath().normalize();

  private Shell() {}

  record Result(int code, String out, String err) {}

  /** The archive {@code ./mvnw package} made: {@code cli/target/k3sbox-<version>.tar.gz}. */
  static Path archive() throws IOException {
    try (Stream<Path> files = Files.list(CLI_TARGET)) {
      List<Path> archives =
          files.filter(p -> p.getFileName().toString().matches("k3sbox-.*\\.tar\\.gz")).toList();
      assertThat(archives).as("./mvnw package makes one archive in " + CLI_TARGET).hasSize(1);
      return archives.get(0);
    }
  }

  /** Runs {@code bash -e -c script} in {@code cwd}; its output goes to files in {@code logs}. */
  static Result bash(Path cwd, Path logs, Map<String, String> env, String script)
      throws IOException, InterruptedException {
    return run(cwd, logs, env, List.of("bash", "-e", "-c", script));
  }

  /** Runs {@code command}, found on {@code env}'s PATH as a shell would find it. */
  static Result run(Path cwd, Path logs, Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    List<String> line = new java.util.ArrayList<>(List.of("sh", "-c", "exec \"$@\"", "sh"));
    line.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(line).directory(cwd.toFile());
    Map<String, String> e = pb.environment();
    String dockerHost = e.get("DOCKER_HOST");
    e.clear();
    e.putAll(env);
    if (dockerHost != null) {
      e.put("DOCKER_HOST", dockerHost);
    }
    Path out = Files.createTempFile(logs, "out", ".txt");
    Path err = Files.createTempFile(logs, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + " did not end in 5 minutes");
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
