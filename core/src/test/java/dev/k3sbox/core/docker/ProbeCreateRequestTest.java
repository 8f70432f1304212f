package dev.k3sbox.core.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.core.engine.ProbeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeCreateRequestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldAskForCapabilitiesByNameWithTheShellAsEntrypoint() throws Exception {
    // Given: capabilities by name, on the bridge with a published port
    ProbeSpec spec =
        ProbeSpec.of("k3sbox/busybox:local", List.of("/bin/sh", "-c", "echo ok"))
            .withCapabilities(List.of("CHOWN", "PERFMON"), List.of("seccomp=unconfined"))
            .onNetwork("bridge")
            .publishing(8080);

    // When
    JsonNode body = ProbeCreateRequest.body(JSON.createObjectNode(), spec, Map.of("a", "b"));

    // Then: nothing the spec does not ask for, so the daemon's defaults hold
    assertThat(body)
        .isEqualTo(
            JSON.readTree(
                """
                {"Image": "k3sbox/busybox:local", "Labels": {"a": "b"},
                 "Entrypoint": ["/bin/sh"], "Cmd": ["-c", "echo ok"],
                 "ExposedPorts": {"8080/tcp": {}},
                 "HostConfig": {"NetworkMode": "bridge",
                                "CapAdd": ["CHOWN", "PERFMON"],
                                "SecurityOpt": ["seccomp=unconfined"],
                                "PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1",
                                                               "HostPort": ""}]}}}
                """));
  }
}
