package dev.k3sbox.core.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.k3sbox.core.docker.DockerRequests;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What k3sbox reads of a container's inspection ({@code GET /containers/{id}/json}), taken from its
 * JSON tree: binding docker-java's inspection type cost a fresh JVM ~0.12 s of every {@code status}
 * and of {@code up} on an existing cluster (async-profiler, wall clock; see {@link
 * DockerRequests}).
 *
 * @param image the image as the container was created from it ({@code Config.Image})
 * @param startedAt when its current life began ({@code State.StartedAt}, RFC 3339)
 * @param restartCount how often Docker has restarted it (its restart policy)
 */
record InspectedContainer(
    String id,
    String image,
    Map<String, String> labels,
    boolean running,
    boolean restarting,
    int restartCount,
    String startedAt,
    long exitCode) {

  /** The container called {@code idOrName}, or empty when the daemon has none. */
  static Optional<InspectedContainer> inspect(DockerClient docker, String idOrName) {
    return DockerRequests.of(docker)
        .get("/containers/" + DockerRequests.segment(idOrName) + "/json")
        .map(InspectedContainer::of);
  }

  static InspectedContainer of(JsonNode c) {
    JsonNode state = c.path("State");
    return new InspectedContainer(
        c.path("Id").asText(),
        c.path("Config").path("Image").asText(null),
        Objects.requireNonNullElse(DockerRequests.labels(c.path("Config")), Map.of()),
        state.path("Running").asBoolean(false),
        state.path("Restarting").asBoolean(false),
        c.path("RestartCount").asInt(0),
        state.path("StartedAt").asText(null),
        state.path("ExitCode").asLong(0));
  }
}
