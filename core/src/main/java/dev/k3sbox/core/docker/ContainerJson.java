package dev.k3sbox.core.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k3sbox.core.engine.ContainerSpec;
import dev.k3sbox.core.engine.ContainerState;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The Engine API's container JSON, both ways: a {@link ContainerSpec} as a create request, an
 * inspection as a {@link ContainerState}, a stats answer as MiB. Trees, not docker-java's types: a
 * cold JVM binds those at ~0.1 s a type, on {@code up}'s way to a started server.
 */
final class ContainerJson {
  private ContainerJson() {}

  /** A container's state from its inspection ({@code GET /containers/{id}/json}). */
  public static ContainerState stateOf(JsonNode c) {
    JsonNode state = c.path("State");
    return new ContainerState(
        c.path("Id").asText(),
        c.path("Config").path("Image").asText(null),
        Objects.requireNonNullElse(DockerRequests.labels(c.path("Config")), Map.of()),
        state.path("Running").asBoolean(false),
        state.path("Restarting").asBoolean(false),
        c.path("RestartCount").asInt(0),
        state.path("StartedAt").asText(null),
        state.path("ExitCode").asLong(0));
  }

  /** The Engine API's create request for {@code spec}, as a JSON tree. */
  static ObjectNode createBody(ObjectNode body, ContainerSpec spec) {
    DockerRequests.putLabels(body.put("Image", spec.image()), spec.labels());
    spec.cmd().forEach(body.putArray("Cmd")::add);
    if (!spec.env().isEmpty()) {
      spec.env().forEach(body.putArray("Env")::add);
    }
    ObjectNode host = body.putObject("HostConfig");
    ObjectNode tmpfs = host.putObject("Tmpfs");
    spec.tmpfs().forEach(tmpfs::put);
    spec.binds().forEach(host.putArray("Binds")::add);
    // A daemon restart brings the cluster back by itself; `down` is the way to stop it.
    host.putObject("RestartPolicy").put("Name", "unless-stopped").put("MaximumRetryCount", 0);
    putPrivilege(host, spec.privileged(), spec.capAdd(), spec.securityOpt());
    if (spec.hostNetwork()) {
      host.put("NetworkMode", "host");
    } else {
      host.put("NetworkMode", "bridge");
    }
    if (spec.port() != null) {
      publish(
          body,
          host,
          spec.port().containerPort(),
          spec.port().hostIp(),
          Integer.toString(spec.port().hostPort()));
    }
    return body;
  }

  /**
   * A container's privilege in its {@code HostConfig}: {@code Privileged} only when asked, {@code
   * CapAdd} and {@code SecurityOpt} only where there are some.
   */
  static void putPrivilege(
      ObjectNode host, boolean privileged, List<String> capAdd, List<String> securityOpt) {
    if (privileged) {
      host.put("Privileged", true);
    }
    capAdd.forEach(cap -> host.withArray("CapAdd").add(cap));
    securityOpt.forEach(opt -> host.withArray("SecurityOpt").add(opt));
  }

  /** {@code containerPort}/tcp exposed and published on {@code hostIp}:{@code hostPort}. */
  static void publish(
      ObjectNode body, ObjectNode host, int containerPort, String hostIp, String hostPort) {
    String port = containerPort + "/tcp";
    host.putObject("PortBindings")
        .putArray(port)
        .addObject()
        .put("HostIp", hostIp)
        .put("HostPort", hostPort);
    body.putObject("ExposedPorts").putObject(port);
  }

  /** cgroup v2 {@code inactive_file}, v1 {@code total_inactive_file}. */
  static OptionalLong memoryMibOf(JsonNode stats) {
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
