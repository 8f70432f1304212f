package dev.k3sbox.core.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k3sbox.core.engine.ProbeSpec;
import java.util.List;
import java.util.Map;

/** The Engine API's request to create a probe's container ({@code POST /containers/create}). */
final class ProbeCreateRequest {
  private ProbeCreateRequest() {}

  /**
   * The Engine API's create request for {@code spec}, as a JSON tree: capabilities go as the names
   * they are, where docker-java's typed command takes only the constants it knows.
   */
  static ObjectNode body(ObjectNode body, ProbeSpec spec, Map<String, String> labels) {
    DockerRequests.putLabels(body.put("Image", spec.image()), labels);
    body.putArray("Entrypoint").add(spec.command().get(0));
    putAll(body, "Cmd", spec.command().subList(1, spec.command().size()));
    ObjectNode host = body.putObject("HostConfig").put("NetworkMode", spec.network());
    ContainerJson.putPrivilege(host, spec.privileged(), spec.capAdd(), spec.securityOpt());
    putAll(host, "Binds", spec.binds());
    if (!spec.tmpfs().isEmpty()) {
      spec.tmpfs().forEach(host.putObject("Tmpfs")::put);
    }
    if (spec.publishedPort() != 0) {
      // No host port: the daemon picks a free one.
      ContainerJson.publish(body, host, spec.publishedPort(), "127.0.0.1", "");
    }
    return body;
  }

  /**
   * Sets {@code field} to {@code values}; left out where there are none, as docker-java leaves it.
   */
  private static void putAll(ObjectNode owner, String field, List<String> values) {
    if (!values.isEmpty()) {
      values.forEach(owner.putArray(field)::add);
    }
  }
}
