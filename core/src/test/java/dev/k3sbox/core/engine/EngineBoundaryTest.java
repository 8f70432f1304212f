package dev.k3sbox.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docker-java behind the engine's ports: only Docker's implementation of them ({@code
 * core.docker}) may import it. The CLI imports neither docker-java nor Jackson.
 */
class EngineBoundaryTest {
  private static final Path MODULES = Path.of("..").toAbsolutePath().normalize();

  @Test
  void shouldImportDockerJavaOnlyInDockersImplementationOfThePort() throws IOException {
    List<String> outside =
        importing("com.github.dockerjava", "core", "helm-runner", "cli").stream()
            .filter(file -> !file.startsWith("core/src/main/java/dev/k3sbox/core/docker/"))
            .toList();

    assertThat(outside).isEmpty();
  }

  @Test
  void shouldKeepTheCliFreeOfDockerJavaAndJackson() throws IOException {
    assertThat(importing("com.github.dockerjava", "cli")).isEmpty();
    assertThat(importing("com.fasterxml.jackson", "cli")).isEmpty();
    assertThat(importing("tools.jackson", "cli")).isEmpty();
  }

  @Test
  void shouldKeepTheLifecycleDecisionsOffDocker() throws IOException {
    assertThat(importing("dev.k3sbox.core.docker.Docker", "core"))
        .filteredOn(file -> file.contains("/core/cluster/") || file.contains("/core/engine/"))
        .containsOnly(
            // production wiring
            "core/src/main/java/dev/k3sbox/core/cluster/ClusterManager.java");
  }

  /** The main source files of {@code modules} importing {@code prefix}, relative to the root. */
  private static List<String> importing(String prefix, String... modules) throws IOException {
    Stream<Path> all = Stream.empty();
    for (String module : modules) {
      Path main = MODULES.resolve(module).resolve("src/main/java");
      assertThat(main).isDirectory();
      all = Stream.concat(all, Files.walk(main).filter(p -> p.toString().endsWith(".java")));
    }
    return all.filter(p -> imports(p, prefix))
        .map(p -> MODULES.relativize(p).toString())
        .sorted()
        .toList();
  }

  private static boolean imports(Path file, String prefix) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.anyMatch(
          l -> l.startsWith("import " + prefix) || l.startsWith("import static " + prefix));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
