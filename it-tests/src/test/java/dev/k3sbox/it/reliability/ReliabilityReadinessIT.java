package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that exits during start-up fails {@code up} at once, not after --timeout. */
class ReliabilityReadinessIT {
  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @Test
  void shouldFailFastWithServerLogAndLeaveNothingWhenServerExits() {
    // Given
    String name = "rel-exits";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    Instant started = Instant.now();

    // When
    var up =
        k3sbox.run(
            "up",
            "--name",
            name,
            "--api-port",
            "17407",
            "--image",
            SharedK3s.image(),
            "--timeout",
            "3m",
            "--k3s-arg=--bogus-flag");

    // Then
    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(20));
    assertThat(up.exitCode()).as(up.err()).isEqualTo(3);
    assertThat(up.errorLines()).hasSize(1);
    assertThat(up.errorLines().get(0)).contains("exited").contains("--bogus-flag");
    assertThat(up.err())
        .contains("lines of the server's log")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
    assertThat(DockerState.containers(name)).isEmpty();
    assertThat(DockerState.volumes(name)).as("the volume this run made").isEmpty();
    assertThat(k3sbox.state().cluster(name)).doesNotExist();
    assertThat(k3sbox.kubeconfig()).doesNotExist();
  }
}
