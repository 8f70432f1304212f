package dev.k3sbox.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectedContainerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldReadWhatK3sboxNeedsOfAnInspection() throws Exception {
    // Given: the parts of Docker 20.10's answer that k3sbox reads, with some it does not
    String inspection =
        """
        {"Id": "0123abcd", "Name": "/k3sbox-dev", "RestartCount": 2,
         "State": {"Status": "running", "Running": true, "Restarting": false, "ExitCode": 0,
                   "StartedAt": "2026-11-28T18:05:07.123456789Z"},
         "Config": {"Image": "k3sbox/controlplane-standin:v1.35.4",
                    "Labels": {"dev.k3sbox.managed": "true"}},
         "HostConfig": {"NetworkMode": "host"}}
        """;

    // When
    InspectedContainer c = InspectedContainer.of(JSON.readTree(inspection));

    // Then
    assertThat(c)
        .isEqualTo(
            new InspectedContainer(
                "0123abcd",
                "k3sbox/controlplane-standin:v1.35.4",
                Map.of("dev.k3sbox.managed", "true"),
                true,
                false,
                2,
                "2026-11-28T18:05:07.123456789Z",
                0));
  }

  @Test
  void shouldReadAnExitedContainerWithoutLabels() throws Exception {
    InspectedContainer c =
        InspectedContainer.of(
            JSON.readTree(
                "{\"Id\":\"x\",\"State\":{\"Running\":false,\"ExitCode\":137},"
                    + "\"Config\":{\"Labels\":null}}"));

    assertThat(c.running()).isFalse();
    assertThat(c.exitCode()).isEqualTo(137);
    assertThat(c.labels()).isEmpty();
    assertThat(c.restartCount()).isZero();
  }

  @Test
  void shouldCallOnlyRepeatedRecentRestartsACrashLoop() {
    String now = java.time.Instant.now().toString();
    String anHourAgo = java.time.Instant.now().minusSeconds(3600).toString();
    // restarting, running and restarted just now, running and long settled
    assertThat(ClusterManager.isCrashLooping(container(false, true, 1, now))).isFalse();
    assertThat(ClusterManager.isCrashLooping(container(true, false, 1, now))).isFalse();
    assertThat(ClusterManager.isCrashLooping(container(false, true, 3, now))).isTrue();
    assertThat(ClusterManager.isCrashLooping(container(true, false, 3, now))).isTrue();
    assertThat(ClusterManager.isCrashLooping(container(true, false, 5, anHourAgo))).isFalse();
  }

  private static InspectedContainer container(
      boolean running, boolean restarting, int restarts, String startedAt) {
    return new InspectedContainer(
        "id", "image", Map.of(), running, restarting, restarts, startedAt, 0);
  }
}
