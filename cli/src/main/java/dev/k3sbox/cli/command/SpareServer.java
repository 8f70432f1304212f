package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.cluster.ClusterSpec;
import dev.k3sbox.core.cluster.StartedServer;
import dev.k3sbox.core.state.ProcessLock;
import dev.k3sbox.core.state.SecureFiles;
import dev.k3sbox.core.state.StateDir;
import dev.k3sbox.helm.install.CrdSeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * The next upgrade check's server, {@code upgrade-check-spare}: started (not waited for) when a
 * check ends, so that the next check finds it booted instead of spending seconds on a boot. It is a
 * fresh server, never used, so nothing needs resetting. One per state dir: a check claims it with a
 * lock (a second check at the same time starts a throwaway of its own), and a marker written when
 * it was started, deleted when it is claimed, tells a fresh one from one a killed check was using.
 * The check that started it also has it given its old chart's crds/ CRDs ({@link CrdSeed}, {@link
 * SpareSeeding}): the next check of the same old chart then skips their creation. {@code k3sbox
 * down --name upgrade-check-spare} (or {@code --all}) removes it.
 */
final class SpareServer implements AutoCloseable {
  static final String NAME = "upgrade-check-spare";

  private final ProcessLock claim;
  private final Path marker;
  private final ClusterManager manager;
  private final Console console;

  private SpareServer(ProcessLock claim, Path marker, ClusterManager manager, Console console) {
    this.claim = claim;
    this.marker = marker;
    this.manager = manager;
    this.console = console;
  }

  /**
   * Whether checks use a spare at all: {@code K3SBOX_UPGRADE_SPARE=off} (or 0, false, no) turns it
   * off, for a CI job that runs one check and wants no server or seeding left working after it.
   */
  static boolean enabled() {
    String setting = System.getenv("K3SBOX_UPGRADE_SPARE");
    return setting == null
        || !Set.of("off", "0", "false", "no").contains(setting.strip().toLowerCase(Locale.ROOT));
  }

  /** The spare, claimed for this check; empty while another check holds it. */
  static Optional<SpareServer> claim(StateDir state, ClusterManager manager, Console console) {
    Path marker = markerOf(state);
    return state
        .tryLock(NAME + "-claim")
        .map(lock -> new SpareServer(lock, marker, manager, console));
  }

  /**
   * Makes the spare ready for a check on {@code image} (empty: the one {@code up} picks) whose old
   * chart's crds/ CRDs have digest {@code wanted}: the fresh one if it is there, runs that image
   * ({@code specAt} its port) and was given no CRDs or those, else {@code coldStart} makes it as a
   * throwaway is made. A seeding of those CRDs still at work is waited for; one of other CRDs is
   * stopped, not waited for. Returns whether the spare holds the {@code wanted} CRDs.
   */
  boolean ready(
      Optional<String> image, IntFunction<ClusterSpec> specAt, Runnable coldStart, String wanted) {
    Marker marker = Marker.read(this.marker);
    boolean otherCrds = marker.seeding().filter(d -> !d.equals(wanted)).isPresent();
    if (otherCrds) {
      seeder(marker).ifPresent(ProcessHandle::destroy);
    } else {
      marker = awaitSeeding(marker);
    }
    Optional<StartedServer> there = manager.started(NAME);
    boolean fresh =
        there.isPresent()
            && there.get().running()
            && there.get().id().equals(marker.id())
            && !otherCrds
            // A seeding that ended without saying so left the spare with some of its CRDs.
            && (marker.seeder() == 0 || marker.seeded())
            && image.map(i -> i.equals(there.get().image())).orElse(true);
    deleteMarker(); // from here on it is used, whatever happens to this check
    if (!fresh) {
      if (there.isPresent()) {
        manager.down(List.of(NAME), ClusterManager.Scope.NAMED, false, false);
      }
      console.step(
          otherCrds
              ? "starting "
                  + NAME
                  + " afresh: it has the crds/ CRDs of the last check's old chart, not of this one"
              : "starting a throwaway cluster " + NAME + " for the upgrade check");
      coldStart.run();
      return false;
    }
    boolean seeded = marker.seeded();
    console.step(
        "using "
            + NAME
            + ", started fresh after the last upgrade check"
            + (seeded ? " with its old chart's crds/ CRDs" : ""));
    manager.up(specAt.apply(there.get().apiPort())); // waits for whatever is left of its boot
    return seeded;
  }

  /**
   * Starts the next check's spare ({@code specAt} a free port from {@code from}) without waiting
   * for it, and when {@code seed} has CRDs, a process that creates them there once it has booted
   * ({@link SpareSeeding}). A failure only means the next check starts its server itself.
   */
  void startNext(IntFunction<ClusterSpec> specAt, int from, CrdSeed seed) {
    try {
      FreePortStart.start(manager, specAt, from, "the next upgrade check's server");
      Optional<StartedServer> started = manager.started(NAME);
      if (started.isEmpty()) {
        return;
      }
      String id = started.get().id();
      Marker.of(id).write(marker);
      if (!seed.isEmpty()) {
        SecureFiles.writeAtomically(seedFile(), seed.text());
        Optional<Long> seeder = SpareSeeding.spawn(started.get(), seedFile(), sibling(".seed.log"));
        if (seeder.isPresent()) {
          new Marker(id, seeder.get(), Optional.of(seed.digest()), false).write(marker);
        }
      }
    } catch (IOException | RuntimeException e) {
      console.info(
          "the next upgrade check's server was not started ("
              + e.getMessage()
              + "); the next check starts its own");
    }
  }

  /**
   * Says that the spare {@code id} holds the CRDs of {@code digest}, unless the marker names
   * another server by now (the spare was claimed or replaced: then nothing is said).
   */
  static void markSeeded(StateDir state, String id, String digest) throws IOException {
    Path file = markerOf(state);
    Marker now = Marker.read(file);
    if (now.id().equals(id)) {
      new Marker(id, now.seeder(), Optional.of(digest), true).write(file);
    }
  }

  /** Waits (a bounded while) for a seeding still under way, and reads the marker it leaves. */
  private Marker awaitSeeding(Marker marker) {
    Optional<ProcessHandle> seeder = seeder(marker);
    if (seeder.isEmpty()) {
      return marker;
    }
    console.step("waiting for " + NAME + " to have its old chart's crds/ CRDs");
    try {
      seeder.get().onExit().get(SEEDING_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      seeder.get().destroy(); // what it made by now is not trusted: the marker says no seeding
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // onExit does not fail
    }
    return Marker.read(this.marker);
  }

  private static final Duration SEEDING_WAIT = Duration.ofMinutes(2);

  /** The seeding the marker names, while it runs. */
  private static Optional<ProcessHandle> seeder(Marker marker) {
    return marker.seeder() == 0
        ? Optional.empty()
        : ProcessHandle.of(marker.seeder()).filter(SpareSeeding::isSeeder);
  }

  private Path seedFile() {
    return sibling(".crds.yaml");
  }

  private Path sibling(String suffix) {
    return marker.resolveSibling(NAME + suffix);
  }

  private static Path markerOf(StateDir state) {
    return state.lockFile(NAME).resolveSibling(NAME + ".fresh");
  }

  /**
   * The marker: the container id of the spare as started, the pid of the process seeding it (0 when
   * none was started), the digest of the CRDs it seeds, and whether it has created them all.
   */
  private record Marker(String id, long seeder, Optional<String> seeding, boolean seeded) {
    /** A spare just started, not seeded. */
    static Marker of(String id) {
      return new Marker(id, 0, Optional.empty(), false);
    }

    static Marker read(Path file) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file);
      } catch (IOException e) {
        return of("");
      }
      Marker marker = of(lines.isEmpty() ? "" : lines.get(0).strip());
      for (String line : lines) {
        String value = line.substring(line.indexOf('=') + 1).strip();
        if (line.startsWith("seeder=")) {
          marker = new Marker(marker.id, Long.parseLong(value), marker.seeding, marker.seeded);
        } else if (line.startsWith("seeding=")) {
          marker = new Marker(marker.id, marker.seeder, Optional.of(value), marker.seeded);
        } else if (line.startsWith("seeded=")) {
          marker = new Marker(marker.id, marker.seeder, marker.seeding, "true".equals(value));
        }
      }
      return marker;
    }

    void write(Path file) throws IOException {
      SecureFiles.writeAtomically(
          file,
          id
              + "\n"
              + (seeder == 0 ? "" : "seeder=" + seeder + "\n")
              + seeding.map(d -> "seeding=" + d + "\n").orElse("")
              + (seeded ? "seeded=true\n" : ""));
    }
  }

  private void deleteMarker() {
    try {
      Files.deleteIfExists(marker);
    } catch (IOException e) {
      // A marker that stays names a container that is gone or used: neither matches it again.
    }
  }

  @Override
  public void close() {
    claim.close();
  }
}
