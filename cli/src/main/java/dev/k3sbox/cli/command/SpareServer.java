package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.cluster.ClusterSpec;
import dev.k3sbox.core.cluster.StartedServer;
import dev.k3sbox.core.state.ProcessLock;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The next upgrade check's server, {@code upgrade-check-spare}: started (not waited for) when a
 * check ends, so that the next check finds it booted instead of spending seconds on a boot. It is a
 * fresh server, never used, so nothing needs resetting. One per state dir: a check claims it with a
 * lock (a second check at the same time starts a throwaway of its own), and a marker written when
 * it was started, deleted when it is claimed, tells a fresh one from one a killed check was using.
 * {@code k3sbox down --name upgrade-check-spare} (or {@code --all}) removes it.
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

  /** The spare, claimed for this check; empty while another check holds it. */
  static Optional<SpareServer> claim(StateDir state, ClusterManager manager, Console console) {
    Path marker = state.lockFile(NAME).resolveSibling(NAME + ".fresh");
    return state
        .tryLock(NAME + "-claim")
        .map(lock -> new SpareServer(lock, marker, manager, console));
  }

  /**
   * Makes the spare ready for a check on {@code image} (empty: the one {@code up} picks): the fresh
   * one if it is there and runs that image ({@code specAt} its port), else {@code coldStart} makes
   * it as a throwaway is made.
   */
  void ready(Optional<String> image, IntFunction<ClusterSpec> specAt, Runnable coldStart) {
    Optional<StartedServer> there = manager.started(NAME);
    boolean fresh =
        there.isPresent()
            && there.get().running()
            && there.get().id().equals(readMarker())
            && image.map(i -> i.equals(there.get().image())).orElse(true);
    deleteMarker(); // from here on it is used, whatever happens to this check
    if (!fresh) {
      if (there.isPresent()) {
        manager.down(List.of(NAME), ClusterManager.Scope.NAMED, false, false);
      }
      console.step("starting a throwaway cluster " + NAME + " for the upgrade check");
      coldStart.run();
      return;
    }
    console.step("using " + NAME + ", started fresh after the last upgrade check");
    manager.up(specAt.apply(there.get().apiPort())); // waits for whatever is left of its boot
  }

  /**
   * Starts the next check's spare ({@code specAt} a free port from {@code from}) without waiting
   * for it. A failure only means the next check starts its server itself.
   */
  void startNext(IntFunction<ClusterSpec> specAt, int from) {
    try {
      FreePortStart.start(manager, specAt, from, "the next upgrade check's server");
      manager
          .started(NAME)
          .ifPresent(
              s -> {
                try {
                  Files.writeString(marker, s.id());
                } catch (IOException e) {
                  throw new IllegalStateException("cannot write " + marker, e);
                }
              });
    } catch (RuntimeException e) {
      console.info(
          "the next upgrade check's server was not started ("
              + e.getMessage()
              + "); the next check starts its own");
    }
  }

  private String readMarker() {
    try {
      return Files.readString(marker).strip();
    } catch (IOException e) {
      return "";
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
