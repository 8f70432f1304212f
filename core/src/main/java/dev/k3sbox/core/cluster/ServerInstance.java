package dev.k3sbox.core.cluster;

import java.util.Map;

/**
 * The server container {@code up} works on, made by this run or found: what finishing {@code up}
 * needs of it. A container this run created is described from what it asked Docker for, not by
 * inspecting it again: that inspection was the first of its kind in a cold JVM, 0.06–0.14 s on the
 * way to every new cluster.
 *
 * @param startedAt when its current life began, as Docker reported it ({@code State.StartedAt});
 *     null for a container this run created, whose every life is this run's
 */
record ServerInstance(String id, String image, Map<String, String> labels, String startedAt) {

  static ServerInstance of(InspectedContainer c) {
    return new ServerInstance(c.id(), c.image(), c.labels(), c.startedAt());
  }
}
