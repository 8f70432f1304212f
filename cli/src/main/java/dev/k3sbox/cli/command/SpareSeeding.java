package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.cluster.ClusterRecord;
import dev.k3sbox.core.cluster.StartedServer;
import dev.k3sbox.core.state.StateDir;
import dev.k3sbox.helm.cluster.ApplyOutcome;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.KubeTarget;
import dev.k3sbox.helm.install.CrdSeed;
import dev.k3sbox.helm.install.Installer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The process that gives the next upgrade check's spare server its old chart's crds/ CRDs while
 * nobody waits: started detached by the check that started the spare (its own session, no terminal,
 * output to {@code upgrade-check-spare.seed.log} in the state dir), it waits for the spare's boot,
 * creates the CRDs as an install would and says so in the spare's marker ({@link
 * SpareServer#markSeeded}). The next check waits for it if it is still at work, and trusts the
 * spare only when the marker says the seeding ended well.
 *
 * <p>A separate JVM, not a thread of the check: the check's exit would not wait for a thread, and
 * making it wait would cost the user the seconds this saves the next check.
 */
public final class SpareSeeding {
  private static final String MAIN = "dev.k3sbox.cli.K3sbox";
  // Options of the check's JVM that a second JVM must not repeat: a debugger's port, a recording.
  private static final List<String> NOT_INHERITED =
      List.of(
          "-agentlib",
          "-agentpath",
          "-javaagent",
          "-XX:StartFlightRecording",
          "-XX:ArchiveClassesAtExit");

  private SpareSeeding() {}

  /**
   * Starts the seeding of the spare {@code server} with the CRDs in {@code seed}: its pid, or empty
   * where this JVM is not k3sbox's own command (tests running it in process), which cannot be
   * repeated as another process.
   */
  static Optional<Long> spawn(StartedServer server, Path seed, Path log) throws IOException {
    List<String> self = commandLine(ProcessHandle.current().pid());
    int main = self.indexOf(MAIN);
    if (main < 1) {
      return Optional.empty();
    }
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", DETACH, "sh", log.toString()));
    command.add(self.get(0));
    self.subList(1, main).stream()
        .filter(a -> NOT_INHERITED.stream().noneMatch(a::startsWith))
        .forEach(command::add);
    command.addAll(
        List.of(
            SpareSeeding.class.getName(),
            server.id(),
            String.valueOf(server.apiPort()),
            server.image(),
            seed.toString()));
    Process shell = new ProcessBuilder(command).redirectErrorStream(true).start();
    String said = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (shell.waitFor() != 0 || !said.matches("\\d+")) {
        throw new IOException("the seeding process did not start: " + said);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the seeding process", e);
    }
    return Optional.of(Long.parseLong(said));
  }

  /**
   * Starts {@code "$@"} in the background, in a session of its own (setsid, where there is one: no
   * signal to the check's terminal or process group reaches it), output to {@code $1}, and prints
   * its pid. Through a shell that exits at once, because a child of this JVM would keep a thread of
   * it waiting in {@code waitpid}, and HotSpot's exit waits up to 0.3 s for threads in native code
   * (see HelmEngine.stopEngines).
   */
  private static final String DETACH =
      "log=$1; shift; "
          + "if command -v setsid >/dev/null 2>&1; then "
          + "setsid \"$@\" </dev/null >\"$log\" 2>&1 & "
          + "else \"$@\" </dev/null >\"$log\" 2>&1 & fi; "
          + "echo $!";

  /** Whether {@code process} is a seeding (and not a process that took a seeding's pid since). */
  static boolean isSeeder(ProcessHandle process) {
    return commandLine(process.pid()).contains(SpareSeeding.class.getName());
  }

  /**
   * The command line of process {@code pid}, from {@code /proc}: {@link ProcessHandle.Info} gives
   * no arguments at all when they are long (a class path of many jars, as in the tests).
   */
  private static List<String> commandLine(long pid) {
    try {
      String raw =
          new String(
              Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
              StandardCharsets.UTF_8);
      return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
    } catch (IOException e) {
      return List.of(); // gone, or not Linux
    }
  }

  /** {@code ID PORT IMAGE SEED_FILE}; exit 0 when the spare has the CRDs, else 1. */
  public static void main(String[] args) {
    Console console =
        new Console(new PrintWriter(System.out, true), new PrintWriter(System.err, true), false);
    int code;
    try {
      code = seed(console, args[0], Integer.parseInt(args[1]), args[2], Path.of(args[3]));
    } catch (IOException | RuntimeException e) {
      console.warn("seeding failed: " + e);
      code = 1;
    }
    System.exit(code);
  }

  private static int seed(Console console, String id, int port, String image, Path seedFile)
      throws IOException {
    ClusterManager manager = ClusterManagers.fromEnvironment(console);
    Optional<ClusterRecord> up =
        manager.finishStarted(
            UpgradeRun.checkServer(SpareServer.NAME, Optional.of(image)).apply(port), id);
    if (up.isEmpty()) {
      console.info(SpareServer.NAME + " " + id + " is gone; nothing to seed");
      return 1;
    }
    CrdSeed seed = new CrdSeed(Files.readString(seedFile));
    StateDir state = StateDir.fromEnvironment();
    KubeTarget target = new KubeTarget(state.kubeconfig(SpareServer.NAME), null);
    List<ApplyOutcome> outcomes;
    try (ClusterConnection connection = ClusterConnection.open(target)) {
      outcomes = new Installer(connection, console).createCrds(seed.objects(), WAIT);
    }
    List<ApplyOutcome> refused = outcomes.stream().filter(o -> !o.accepted()).toList();
    if (!refused.isEmpty()) {
      refused.forEach(o -> console.warn(o.ref().display() + ": " + String.join("; ", o.errors())));
      return 1;
    }
    SpareServer.markSeeded(state, id, seed.digest());
    console.done(outcomes.size() + " CRDs created on " + SpareServer.NAME + " " + id);
    return 0;
  }

  private static final Duration WAIT = Duration.ofMinutes(2);
}
