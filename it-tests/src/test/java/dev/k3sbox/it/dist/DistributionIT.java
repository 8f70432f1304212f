package dev.k3sbox.it.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.GeneratedChart;
import dev.k3sbox.it.support.SharedK3s;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installable archive as a user installs it: {@code k3sbox-<version>.tar.gz} unpacked into a
 * folder of its own, its {@code bin} on {@code PATH}, run from another folder with a private {@code
 * $HOME} and no k3sbox variables: {@code up}, {@code validate}, {@code list}, {@code down}.
 * Everything k3sbox writes lands under that {@code $HOME}; the account's real home directory (where
 * Java's {@code user.home} points) is left exactly as it was.
 */
class DistributionIT {
  private static final String CLUSTER = "dist-it";
  private static final String DAEMON_LOG = ".k3sbox/dockerd/dockerd.log";
  // Maven runs the integration tests in it-tests/, beside cli/.
  private static final Path CLI_TARGET =
      Path.of("..", "cli", "target").toAbsolutePath().normalize();

  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @AfterEach
  void removeWhatAFailureLeft() {
    DockerState.purge(CLUSTER);
  }

  @Test
  void shouldRunFromTheArchiveOnPathWritingOnlyUnderHome() throws Exception {
    // Given: the archive unpacked, a private home, a chart in a working folder
    Path install = dir.resolve("opt");
    Files.createDirectories(install);
    Shell.run(
        dir,
        dir,
        Map.of("PATH", System.getenv("PATH")),
        List.of("tar", "-xzf", Shell.archive().toString(), "-C", install.toString()));
    Path bin = onlyChild(install).resolve("bin");
    assertThat(bin.resolve("k3sbox")).isExecutable();
    assertThat(bin.resolveSibling("libexec").resolve("k3sbox-helm"))
        .as("Helm's engine travels in the archive")
        .isExecutable();
    assertThat(bin.resolveSibling("libexec").resolve("k3sbox-warm"))
        .as("the warm JVM's front travels in the archive")
        .isExecutable();
    Path home = Files.createDirectories(dir.resolve("home"));
    Path work = Files.createDirectories(dir.resolve("work"));
    Path chart = GeneratedChart.of(work, 8);
    // No warm JVM (WarmJvmIT tests it): one would outlive the test, writing into its home.
    Map<String, String> env =
        Map.of(
            "HOME",
            home.toString(),
            "PATH",
            bin + ":" + System.getenv("PATH"),
            "K3SBOX_WARM",
            "off");
    Path realHome = Path.of(System.getProperty("user.home"));
    Map<String, String> before = snapshot(realHome);

    // When
    Shell.Result up =
        k3sbox(
            work,
            env,
            "up",
            "--name",
            CLUSTER,
            "--api-port",
            "17461",
            "--image",
            SharedK3s.image());
    Shell.Result validate = k3sbox(work, env, "validate", "--name", CLUSTER, "./bench");
    // ... and after one module's jar is rebuilt (the CLI's own jar left as it was), again: the
    // JVM refuses a class-data archive made with another jar, so the launcher trains a new one
    Path cds = archive(home.resolve(".cache").resolve("k3sbox").resolve("cds"), "k3sbox-helm.jsa");
    FileTime trained = Files.getLastModifiedTime(cds);
    Path core = ownJar(bin.resolveSibling("lib"), "k3sbox-core-");
    Files.setLastModifiedTime(core, FileTime.fromMillis(trained.toMillis() + 2000));
    Shell.Result afterRebuild = k3sbox(work, env, "validate", "--name", CLUSTER, "./bench");
    Shell.Result list = k3sbox(work, env, "list");
    Shell.Result down = k3sbox(work, env, "down", "--name", CLUSTER);

    // Then: each worked, from the archive alone
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(validate.code()).as(validate.err()).isZero();
    assertThat(validate.out()).contains("8 objects").contains("valid");
    assertThat(validate.err()).doesNotContain("helm-java");
    assertThat(afterRebuild.code()).as(afterRebuild.err()).isZero();
    assertThat(Files.getLastModifiedTime(cds)).isGreaterThan(Files.getLastModifiedTime(core));
    assertThat(list.out()).contains(CLUSTER);
    assertThat(down.code()).as(down.err()).isZero();
    // ... writing under $HOME as kubectl and Helm do ...
    assertThat(home.resolve(".k3sbox")).isDirectory();
    assertThat(home.resolve(".kube").resolve("config")).isRegularFile();
    assertThat(home.resolve(".cache").resolve("k3sbox").resolve("cds")).isDirectory();
    assertThat(chart.getParent()).isEqualTo(work);
    // ... and nowhere in the real home
    assertThat(snapshot(realHome)).isEqualTo(before);
  }

  /** The class-data archive {@code name}, in the folder the launcher keeps for its install. */
  private static Path archive(Path cds, String name) throws IOException {
    try (Stream<Path> files = Files.walk(cds)) {
      return files.filter(f -> f.getFileName().toString().equals(name)).findFirst().orElseThrow();
    }
  }

  private static Path ownJar(Path lib, String prefix) throws IOException {
    try (Stream<Path> jars = Files.list(lib)) {
      return jars.filter(j -> j.getFileName().toString().startsWith(prefix))
          .findFirst()
          .orElseThrow();
    }
  }

  private static Path onlyChild(Path folder) throws IOException {
    try (Stream<Path> children = Files.list(folder)) {
      return children
          .reduce(
              (a, b) -> {
                throw new AssertionError("more than one folder in the archive: " + a + ", " + b);
              })
          .orElseThrow();
    }
  }

  /** What k3sbox could write in a home: its folders, with each file's size and modification. */
  private static Map<String, String> snapshot(Path home) throws IOException {
    Map<String, String> state = new TreeMap<>();
    for (String folder : List.of(".k3sbox", ".kube", ".cache/k3sbox", ".config/helm")) {
      Path root = home.resolve(folder);
      if (!Files.exists(root)) {
        state.put(folder, "absent");
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path p : files.toList()) {
          if (p.equals(home.resolve(DAEMON_LOG))) {
            // A dockerd that k3sbox started before this test (./scripts/test does, with the
            // real $HOME) logs here for as long as it runs, so its size says nothing about us.
            state.put(DAEMON_LOG, "present");
            continue;
          }
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          state.put(home.relativize(p).toString(), a.size() + "@" + a.lastModifiedTime());
        }
      }
    }
    return state;
  }

  private Shell.Result k3sbox(Path cwd, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("k3sbox"));
    command.addAll(List.of(args));
    return Shell.run(cwd, dir, env, command);
  }
}
