package dev.k3sbox.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerInstanceTest {

  @Test
  void shouldReplayTheWholeHistoryOfAContainerThisRunCreated() {
    assertThat(new ServerInstance("id", "image", Map.of(), null).eventsSince()).isEqualTo("1");
  }

  @Test
  void shouldReplayFromTheStartOfTheCurrentLifeInUnixSecondsAndNanoseconds() {
    // Given: Docker's State.StartedAt, which the events API refuses as it is
    var server = new ServerInstance("id", "image", Map.of(), "2026-11-28T18:05:07.012345678Z");

    // When / Then
    assertThat(server.eventsSince()).isEqualTo("1795889107.012345678");
  }
}
