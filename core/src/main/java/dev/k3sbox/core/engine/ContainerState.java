package dev.k3sbox.core.engine;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * What k3sbox reads of a container's inspection.
 *
 * @param image the image as the container was created from it
 * @param startedAt when its current life began (RFC 3339), as the engine reported it; null if never
 * @param restartCount how often the engine has restarted it (its restart policy)
 */
public record ContainerState(
    String id,
    String image,
    Map<String, String> labels,
    boolean running,
    boolean restarting,
    int restartCount,
    String startedAt,
    long exitCode) {

  /** {@link #startedAt} parsed; null where the engine gave none. */
  public Instant startedAtInstant() {
    return startedAt(startedAt);
  }

  /** An engine's RFC 3339 start time parsed: the one place k3sbox parses it. */
  public static Instant startedAt(String rfc3339) {
    return rfc3339 == null || rfc3339.isEmpty() ? null : OffsetDateTime.parse(rfc3339).toInstant();
  }
}
