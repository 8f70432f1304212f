package dev.k3sbox.core.cluster;

import dev.k3sbox.core.engine.ContainerState;
import java.time.Instant;
import java.util.Map;

/**
 * The server container {@code up} works on, made by this run or found: what finishing {@code up}
 * needs of it. A container this run created is described from what it asked the engine for, not by
 * inspecting it again: that inspection was the first of its kind in a cold JVM, 0.06–0.14 s on the
 * way to every new cluster.
 *
 * @param startedAt when its current life began, as the engine reported it; null for a container
 *     this run created, whose every life is this run's
 */
record ServerInstance(String id, String image, Map<String, String> labels, String startedAt) {

  static ServerInstance of(ContainerState c) {
    return new ServerInstance(c.id(), c.image(), c.labels(), c.startedAt());
  }

  /**
   * Where a watch of its deaths starts replaying, as the events API wants it ({@code <unix
   * seconds>.<nanoseconds>}; it refuses a date): the start of its current life, or, for a container
   * this run created, its whole history (the API replays nothing without a start time, and the
   * container's ID is new, so every event of it is of this life).
   */
  String eventsSince() {
    Instant started = ContainerState.startedAt(startedAt);
    if (started == null) {
      return "1";
    }
    return started.getEpochSecond() + "." + String.format("%09d", started.getNano());
  }
}
