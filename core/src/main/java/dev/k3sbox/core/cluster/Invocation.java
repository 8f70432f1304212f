package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Labels;
import java.util.Map;
import java.util.UUID;

/**
 * One run of k3sbox, as its labels name it: what it creates carries its ID, so that a rollback
 * removes exactly that and never what another run made.
 */
record Invocation(String id, String k3sboxVersion, String stateDir) {

  static Invocation fresh(String k3sboxVersion, String stateDir) {
    return new Invocation(UUID.randomUUID().toString(), k3sboxVersion, stateDir);
  }

  /** The labels of all this run makes for cluster {@code name}: its container and volume. */
  Map<String, String> labels(String name) {
    return Map.of(
        Labels.MANAGED, "true",
        Labels.CLUSTER, name,
        Labels.INVOCATION, id,
        Labels.VERSION, k3sboxVersion,
        Labels.STATE_DIR, stateDir);
  }

  /** Whether something carrying {@code labels} was made by this run. */
  boolean made(Map<String, String> labels) {
    return id.equals(labels.get(Labels.INVOCATION));
  }
}
