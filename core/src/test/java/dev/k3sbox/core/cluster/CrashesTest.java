package dev.k3sbox.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.engine.ContainerState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrashesTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @Test
  void shouldCallOnlyRepeatedRecentRestartsACrashLoop() {
    String justNow = NOW.minusSeconds(2).toString();
    String anHourAgo = NOW.minusSeconds(3600).toString();
    // restarting, running and restarted just now, running and long settled
    assertThat(Crashes.isLooping(container(false, true, 1, justNow), NOW)).isFalse();
    assertThat(Crashes.isLooping(container(true, false, 1, justNow), NOW)).isFalse();
    assertThat(Crashes.isLooping(container(false, true, 3, justNow), NOW)).isTrue();
    assertThat(Crashes.isLooping(container(true, false, 3, justNow), NOW)).isTrue();
    assertThat(Crashes.isLooping(container(true, false, 5, anHourAgo), NOW)).isFalse();
    assertThat(Crashes.isLooping(container(false, false, 5, null), NOW)).isFalse();
  }

  @Test
  void shouldSeeADeathDuringTheWaitInAnyOfItsForms() {
    String started = NOW.minusSeconds(5).toString();
    var created = new ServerInstance("id", "image", Map.of(), null);
    var found = new ServerInstance("id", "image", Map.of(), started);

    assertThat(Crashes.diedSince(created, container(true, false, 0, started))).isFalse();
    assertThat(Crashes.diedSince(created, container(true, false, 1, started))).isTrue();
    assertThat(Crashes.diedSince(found, container(true, false, 4, started))).isFalse();
    assertThat(Crashes.diedSince(found, container(true, false, 4, NOW.toString()))).isTrue();
    assertThat(Crashes.diedSince(found, container(false, false, 4, started))).isTrue();
    assertThat(Crashes.diedSince(found, container(true, true, 4, started))).isTrue();
  }

  @Test
  void shouldCallARestartedServerThatDoesNotAnswerUnhealthy() {
    assertThat(Crashes.isUnhealthy(container(true, false, 1, null), false)).isTrue();
    assertThat(Crashes.isUnhealthy(container(true, false, 1, null), true)).isFalse();
    assertThat(Crashes.isUnhealthy(container(false, true, 0, null), true)).isTrue();
    assertThat(Crashes.isUnhealthy(container(true, false, 0, null), false)).isFalse();
  }

  private static ContainerState container(
      boolean running, boolean restarting, int restarts, String startedAt) {
    return new ContainerState("id", "image", Map.of(), running, restarting, restarts, startedAt, 0);
  }
}
