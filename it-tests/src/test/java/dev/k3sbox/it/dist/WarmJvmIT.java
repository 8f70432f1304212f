package dev.k3sbox.it.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.k3sbox.it.support.GeneratedChart;
import dev.k3sbox.it.support.SharedK3s;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's warm JVM (warm-client/main.go, dev.k3sbox.cli.warm.WarmJvm), through the clone's
 * real {@code ./k3sbox} against the shared real API server: a chart command served warm prints and
 * exits exactly as one in a JVM of its own, a signal ends it as it ends a cold one, and nothing
 * warm is started where it is turned off.
 */
class WarmJvmIT {
  // Maven runs the integration tests in it-tests/, beside the launcher.
  private static final Path LAUNCHER = Path.of("..", "k3sbox").toAbsolutePath().normalize();
  private static final String SERVED = "served by a warm JVM";

  @TempDir Path dir;
  private Path home;
  private Path work;
  private Path kubeconfig;

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createDirectories(dir.resolve("home"));
    work = Files.createDirectories(dir.resolve("work"));
    kubeconfig = SharedK3s.kubeconfig();
  }

  @AfterEach
  void stopWarmJvms() {
    // What a user's warm JVM does after 30 idle minutes, at once: the temporary home goes next.
    List<ProcessHandle> warm = warmJvms();
    warm.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : warm) {
      p.onExit().orTimeout(20, TimeUnit.SECONDS).join();
    }
  }

  @Test
  void shouldServeTheNextChartCommandWarmPrintingAndExitingAsAColdOne() throws Exception {
    // Given: a valid chart and an invalid one, each validated cold (K3SBOX_WARM=off)
    Path valid = GeneratedChart.of(work, 8);
    Path invalid = invalidChart(work.resolve("invalid"));
    Shell.Result coldValid = k3sbox(work, env("off"), "validate", "-o", "json", valid.toString());
    Shell.Result coldInvalid =
        k3sbox(work, env("off"), "validate", "-o", "json", invalid.toString());
    Shell.Result coldTemplate = k3sbox(work, env("off"), "template", valid.toString());
    assertThat(warmJvms()).as("none started while turned off").isEmpty();

    // When: a first command with it on starts one, which is ready soon after
    Shell.Result first = k3sbox(work, env("on"), "validate", "-v", valid.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.err()).as("the first command runs cold").doesNotContain(SERVED);
    awaitWarmJvmServing(valid);
    Shell.Result warmValid = k3sbox(work, env("on"), "validate", "-o", "json", valid.toString());
    Shell.Result warmInvalid =
        k3sbox(work, env("on"), "validate", "-o", "json", invalid.toString());
    Shell.Result warmTemplate = k3sbox(work, env("on"), "template", valid.toString());
    Shell.Result elsewhere =
        k3sbox(
            Files.createDirectories(dir.resolve("elsewhere")),
            env("on"),
            "validate",
            "-v",
            valid.toString());

    // Then: the same output and exit codes as cold
    assertThat(coldValid.code()).as(coldValid.err()).isZero();
    assertThat(warmValid.code()).as(warmValid.err()).isZero();
    assertThat(warmValid.out()).isEqualTo(coldValid.out());
    assertThat(coldInvalid.code()).as(coldInvalid.err()).isEqualTo(1);
    assertThat(warmInvalid.code()).as(warmInvalid.err()).isEqualTo(1);
    assertThat(warmInvalid.out()).isEqualTo(coldInvalid.out()).contains("\"valid\" : false");
    assertThat(warmTemplate.code()).as(warmTemplate.err()).isZero();
    assertThat(warmTemplate.out()).isEqualTo(coldTemplate.out()).contains("# Source: bench/");
    // ... and a command from another folder is not served by the first folder's JVM
    assertThat(elsewhere.code()).as(elsewhere.err()).isZero();
    assertThat(elsewhere.err()).doesNotContain(SERVED);
  }

  @Test
  void shouldPassSigtermOnAndEndTheCommandWithin2sWith130AsAColdOne() throws Exception {
    // Given: a warm JVM ready, and a long validation it serves, its dry runs started
    Path small = GeneratedChart.of(work.resolve("small"), 4);
    Path chart = GeneratedChart.of(work.resolve("long"), 2000);
    k3sbox(work, env("on"), "validate", small.toString());
    awaitWarmJvmServing(small);
    assertThat(warmJvms()).hasSize(1);
    ProcessHandle warm = warmJvms().get(0);
    Path err = dir.resolve("long.err");
    Process run = start(work, env("on"), err, "validate", "-v", chart.toString());
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> Files.readString(err).contains("dry-running"));
    assertThat(Files.readString(err)).contains(SERVED);

    // When
    long start = System.nanoTime();
    run.destroy(); // SIGTERM, to the launcher
    assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();

    // Then: as a cold command ends on SIGTERM, and the warm JVM with it (the next one starts
    // afresh)
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(run.exitValue()).isEqualTo(130);
    warm.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    try (Stream<Path> sockets = Files.list(home.resolve(".k3sbox").resolve("warm"))) {
      assertThat(sockets.map(Path::toString)).noneMatch(s -> s.endsWith(".sock"));
    }
  }

  @Test
  void shouldExitAsAColdOneWhenItsReaderGoesAwayAndServeTheNextCommandAfresh() throws Exception {
    // Given: a warm JVM ready
    Path chart = GeneratedChart.of(work, 8);
    k3sbox(work, env("on"), "validate", chart.toString());
    awaitWarmJvmServing(chart);
    String cutShort =
        String.join(" ", command("validate", "-v", "-o", "json", chart.toString()))
            + " | head -c 1";

    // When: its output's reader stops after one byte (pipefail: the command's own exit code)
    Shell.Result warm = Shell.bash(work, dir, env("on"), "set -o pipefail; " + cutShort);
    Shell.Result cold = Shell.bash(work, dir, env("off"), "set -o pipefail; " + cutShort);
    Shell.Result next = k3sbox(work, env("on"), "validate", "-v", "-o", "json", chart.toString());

    // Then: as cold (not killed by SIGPIPE: 141), and the next command is served in full
    assertThat(warm.err()).contains(SERVED);
    assertThat(warm.code()).as(warm.err()).isEqualTo(cold.code()).isZero();
    assertThat(warm.out()).isEqualTo("{");
    assertThat(next.code()).as(next.err()).isZero();
    assertThat(next.err()).contains(SERVED);
    assertThat(next.out()).contains("\"valid\" : true").doesNotContain("\"valid\" : false");
  }

  @Test
  void shouldRenderEachServedCommandFromTheChartAsItIsThen() throws Exception {
    // Given: a warm JVM (and its engine, which it keeps from one command to the next) that has
    // validated a chart whose Service is valid
    Path chart = invalidChart(work.resolve("edited"));
    Path service = chart.resolve("templates/service.yaml");
    Files.writeString(service, Files.readString(service).replace("99999", "8080"));
    k3sbox(work, env("on"), "validate", chart.toString());
    awaitWarmJvmServing(chart);
    ProcessHandle warm = warmJvms().get(0);

    // When: the template is edited to a port out of range, then back
    Files.writeString(service, Files.readString(service).replace("8080", "99999"));
    Shell.Result broken = k3sbox(work, env("on"), "validate", "-v", chart.toString());
    Files.writeString(service, Files.readString(service).replace("99999", "8080"));
    Shell.Result mended = k3sbox(work, env("on"), "validate", "-v", chart.toString());

    // Then: each served by the same warm JVM, each rendered from the chart as it was then
    assertThat(broken.err()).contains(SERVED + " (pid " + warm.pid());
    assertThat(broken.code()).as(broken.err()).isEqualTo(1);
    assertThat(broken.out()).contains("99999");
    assertThat(mended.err()).contains(SERVED + " (pid " + warm.pid());
    assertThat(mended.code()).as(mended.err()).isZero();
  }

  @Test
  void shouldLetOnlyOneWarmJvmServeASocket() throws Exception {
    // Given: a warm JVM ready on its socket
    Path chart = GeneratedChart.of(work, 4);
    k3sbox(work, env("on"), "validate", chart.toString());
    awaitWarmJvmServing(chart);
    ProcessHandle first = warmJvms().get(0);
    Path socket;
    try (Stream<Path> files = Files.list(home.resolve(".k3sbox").resolve("warm"))) {
      socket = files.filter(p -> p.toString().endsWith(".sock")).findFirst().orElseThrow();
    }

    // When: a second one is started for the same socket (as two launchers at once would)
    Path cli = LAUNCHER.resolveSibling("cli").resolve("target");
    String classPath = cli.resolve("k3sbox-cli.jar") + ":" + cli.resolve("lib") + "/*";
    Process second =
        new ProcessBuilder(
                "java", "-cp", classPath, "dev.k3sbox.cli.warm.WarmJvm", socket.toString(), "1")
            .redirectErrorStream(true)
            .start();

    // Then: it ends at once, and the first still serves
    assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("another warm JVM serves");
    Shell.Result after = k3sbox(work, env("on"), "validate", "-v", chart.toString());
    assertThat(after.err()).contains(SERVED + " (pid " + first.pid());
  }

  @Test
  void shouldStartNoWarmJvmUnderCi() throws Exception {
    Path chart = GeneratedChart.of(work, 4);
    Map<String, String> ci = new HashMap<>(env(null));
    ci.put("CI", "true");

    Shell.Result run = k3sbox(work, ci, "validate", chart.toString());

    assertThat(run.code()).as(run.err()).isZero();
    // The front starts a warm JVM before it runs the command cold: one would be there by now.
    assertThat(warmJvms()).isEmpty();
  }

  /** Waits until a validate of {@code chart} in the work folder is served warm. */
  private void awaitWarmJvmServing(Path chart) {
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                k3sbox(work, env("on"), "validate", "-v", chart.toString()).err().contains(SERVED));
  }

  private Map<String, String> env(String warm) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("PATH", System.getenv("PATH"));
    if (warm != null) {
      env.put("K3SBOX_WARM", warm);
    }
    return env;
  }

  /** {@code ./k3sbox ARGS --kubeconfig K}: against the shared server. */
  private Shell.Result k3sbox(Path cwd, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return Shell.run(cwd, dir, env, command(args));
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    return command;
  }

  private Process start(Path cwd, Map<String, String> env, Path err, String... args)
      throws IOException {
    List<String> command = command(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    String dockerHost = pb.environment().get("DOCKER_HOST");
    pb.environment().clear();
    pb.environment().putAll(env);
    if (dockerHost != null) {
      pb.environment().put("DOCKER_HOST", dockerHost);
    }
    return pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
  }

  /** The warm JVMs serving this test's home (their command line names their socket there). */
  private List<ProcessHandle> warmJvms() {
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              String line = commandLine(p.pid());
              return line.contains("dev.k3sbox.cli.warm.WarmJvm") && line.contains(home.toString());
            })
        .toList();
  }

  /** From /proc: ProcessHandle.Info cuts long command lines short. */
  private static String commandLine(long pid) {
    try {
      return new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
              StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }

  private static Path invalidChart(Path chart) throws IOException {
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(
        chart.resolve("Chart.yaml"), "apiVersion: v2\nname: broken\nversion: 0.1.0\n");
    Files.writeString(
        chart.resolve("templates/service.yaml"),
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: broken
        spec:
          ports:
            - port: 99999
        """);
    return chart;
  }
}
