package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerSummary;
import java.util.List;
import java.util.Map;

/**
 * Removes what one {@code up} invocation created, found by its invocation label, when that {@code
 * up} fails or is interrupted. Never touches what another invocation made: a cluster that existed
 * before is reused, not rolled back (k3d once deleted one here).
 */
final class Rollback {
  private final ContainerEngine engine;
  private final String invocation;
  private final Progress progress;
  private final String keptMessage;
  private final Thread hook;
  private boolean done;

  /**
   * @param keptMessage with {@code --keep-on-failure}, what to print instead of rolling back when
   *     the JVM is interrupted; null to roll back
   */
  Rollback(ContainerEngine engine, String invocation, Progress progress, String keptMessage) {
    this.engine = engine;
    this.invocation = invocation;
    this.progress = progress;
    this.keptMessage = keptMessage;
    // Ctrl-C and SIGTERM run shutdown hooks: roll back there too.
    this.hook = new Thread(this::interrupted, "k3sbox-rollback");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The invocation succeeded, or failed with --keep-on-failure: keep everything. */
  synchronized void disarm() {
    done = true;
    removeHook();
  }

  private synchronized void interrupted() {
    if (keptMessage == null) {
      run();
    } else if (!done) {
      done = true;
      progress.warn(keptMessage);
    }
  }

  synchronized void run() {
    if (done) {
      return;
    }
    done = true;
    Map<String, String> ours = Map.of(Labels.INVOCATION, invocation);
    for (ContainerSummary c : engine.containers(ours)) {
      progress.info("rolling back: removing container " + c.name());
      try {
        engine.remove(c.id());
      } catch (RuntimeException e) {
        progress.warn("could not remove container " + c.id() + ": " + e.getMessage());
      }
    }
    // The volume this run created carries its invocation label from creation on, so the label
    // finds it, also in the shutdown hook; a reused volume carries an earlier invocation's.
    List<String> volumes = engine.volumes(ours);
    for (String volume : volumes) {
      try {
        engine.removeVolume(volume);
        progress.info("rolling back: removed volume " + volume);
      } catch (RuntimeException e) {
        progress.warn("could not remove volume " + volume + ": " + e.getMessage());
      }
    }
    removeHook();
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: this is the hook running
    }
  }
}
