package dev.k3sbox.core.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.k3sbox.core.docker.DockerRequests;
import java.util.OptionalLong;

/**
 * The server container's memory as {@code docker stats} shows it: the cgroup's usage less the page
 * cache it could drop (cgroup v2 {@code inactive_file}, v1 {@code total_inactive_file}). One {@code
 * one-shot} stats request: no second sample is needed for memory.
 */
final class ServerMemory {
  /** Past this, {@code status} warns: the stand-in settles near 250 MiB, 550 with ~40 CRDs. */
  static final long WARN_MIB = 1024;

  private ServerMemory() {}

  static OptionalLong mib(DockerClient docker, String containerId) {
    try {
      return DockerRequests.of(docker)
          .get(
              "/containers/"
                  + DockerRequests.segment(containerId)
                  + "/stats?stream=false&one-shot=true")
          .map(ServerMemory::mibOf)
          .orElse(OptionalLong.empty());
    } catch (RuntimeException e) {
      return OptionalLong.empty(); // an older daemon, or none: status goes on without it
    }
  }

  static OptionalLong mibOf(JsonNode stats) {
    JsonNode memory = stats.path("memory_stats");
    if (!memory.has("usage")) {
      return OptionalLong.empty();
    }
    long usage = memory.path("usage").asLong();
    JsonNode s = memory.path("stats");
    long cache =
        s.has("inactive_file")
            ? s.path("inactive_file").asLong()
            : s.path("total_inactive_file").asLong();
    return OptionalLong.of(Math.max(0, usage - cache) / (1024 * 1024));
  }
}
