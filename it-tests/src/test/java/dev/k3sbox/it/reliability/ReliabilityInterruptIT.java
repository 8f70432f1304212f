package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) in the middle of {@code up}: the run's shutdown hook rolls back, or keeps. */
class ReliabilityInterruptIT {
  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @Test
  void shouldRollBackContainerAndVolumeWhenUpIsInterrupted() {
    // Given
    String name = "rel-int";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);

    // When: SIGINT once the container exists, while up waits for the API server
    var result = interruptOnceContainerExists(k3sbox, name, "17401");

    // Then
    assertThat(result.exitCode()).as(result.err()).isEqualTo(130);
    assertThat(result.err()).contains("rolling back").doesNotContain("\tat ");
    assertThat(DockerState.containers(name)).isEmpty();
    assertThat(DockerState.volumes(name)).isEmpty();
    assertThat(k3sbox.state().cluster(name)).doesNotExist();
    assertThat(k3sbox.kubeconfig()).doesNotExist();
  }

  @Test
  void shouldKeepInterruptedClusterWithKeepOnFailure() {
    // Given
    String name = "rel-int-keep";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);

    // When
    var result = interruptOnceContainerExists(k3sbox, name, "17403", "--keep-on-failure");

    // Then
    assertThat(result.exitCode()).as(result.err()).isEqualTo(130);
    assertThat(result.err()).contains("--keep-on-failure").doesNotContain("rolling back");
    assertThat(DockerState.containers(name)).hasSize(1);
    assertThat(DockerState.volumes(name)).hasSize(1);

    // When: the kept cluster is removed as the message says
    var down = k3sbox.run("down", "--name", name);

    // Then
    assertThat(down.exitCode()).as(down.err()).isZero();
    assertThat(DockerState.containers(name)).isEmpty();
    assertThat(DockerState.volumes(name)).isEmpty();
  }

  private static ChildJvm.Result interruptOnceContainerExists(
      K3sboxProcess k3sbox, String name, String port, String... more) {
    String[] args = {"up", "--name", name, "--api-port", port, "--image", SharedK3s.image()};
    String[] all =
        java.util.stream.Stream.of(args, more)
            .flatMap(java.util.Arrays::stream)
            .toArray(String[]::new);
    ChildJvm up = k3sbox.start(all);
    up.awaitWhileAlive(
        "the labelled container of " + name,
        Duration.ofMinutes(1),
        () -> !DockerState.containers(name).isEmpty());
    assertThat(up.process().isAlive()).as("up still running when its container appeared").isTrue();
    try {
      up.interrupt();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return up.await(Duration.ofSeconds(60));
  }
}
