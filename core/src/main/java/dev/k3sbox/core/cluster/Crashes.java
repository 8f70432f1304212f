package dev.k3sbox.core.cluster;

import dev.k3sbox.core.engine.ContainerState;
import java.time.Instant;

/**
 * What counts as a crashed server: the one definition {@code up}, its wait and {@code status}
 * share.
 */
final class Crashes {
  /** Restarts, in a row and recent, that make a container crash-looping. */
  static final int LOOP_RESTARTS = 3;

  private Crashes() {}

  /**
   * Restarting now, or restarted by the engine and up for only a few seconds: between two failed
   * starts a crash-looping container shows as running for a moment. One restart is not a loop: a
   * single crash (an OOM kill, a killed process) is restarted by the restart policy and usually
   * comes back; recreating the container then would be needless. {@code up} recreates such a
   * container on the same data volume.
   */
  static boolean isLooping(ContainerState c, Instant now) {
    if (c.restartCount() < LOOP_RESTARTS) {
      return false;
    }
    if (c.restarting()) {
      return true;
    }
    Instant started = c.startedAtInstant();
    return c.running() && started != null && started.isAfter(now.minusSeconds(10));
  }

  /**
   * Whether {@code now} is a later life of the server {@code up} has been waiting for, or no life:
   * the engine restarts a crashed server within ~0.1 s (restart policy), so running is not enough.
   * A restart count above zero for a container this run created, or another start time than {@code
   * up} saw, is a crash too.
   */
  static boolean diedSince(ServerInstance seen, ContainerState now) {
    boolean restarted =
        seen.startedAt() == null
            ? now.restartCount() > 0
            : !seen.startedAt().equals(now.startedAt());
    return !now.running() || now.restarting() || restarted;
  }

  /** As {@code status} sees it: restarting, or running after restarts and not answering. */
  static boolean isUnhealthy(ContainerState c, boolean apiReady) {
    return c.restarting() || (c.running() && c.restartCount() > 0 && !apiReady);
  }
}
