package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code up} killed with SIGKILL at each of its phases, recognised by the progress line that starts
 * the phase: no shutdown hook runs, so the next {@code up} must notice the half-made cluster and
 * finish or repair it, and {@code down} must leave nothing, not even a volume.
 */
class KillAtEachPhaseIT {
  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @ParameterizedTest(name = "killed at \"{0}\"")
  @ValueSource(
      strings = {
        "creating container",
        "waiting for the k3s server to write its kubeconfig",
        "waiting for the API server",
        "waiting for the default service account",
      })
  void shouldRecoverFromKillDashNineAtPhase(String phase) throws Exception {
    // Given: an up killed as soon as it announces the phase
    String name = "rel-kill-" + Integer.toHexString(phase.hashCode() & 0xffff);
    DockerState.purge(name);
    int volumesBefore = allVolumes();
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    ChildJvm up =
        k3sbox.start("up", "--name", name, "--api-port", "17480", "--image", SharedK3s.image());
    up.awaitErr(phase, Duration.ofMinutes(2));
    assertThat(up.process().isAlive()).as("up reached \"%s\" and is still running", phase).isTrue();
    up.kill();

    // When
    var again =
        k3sbox.run("up", "--name", name, "--api-port", "17480", "--image", SharedK3s.image());
    var down = k3sbox.run("down", "--name", name);

    // Then
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(down.exitCode()).as(down.err()).isZero();
    assertThat(DockerState.containers(name)).isEmpty();
    assertThat(DockerState.volumes(name)).isEmpty();
    assertThat(allVolumes()).as("docker volume ls does not grow").isEqualTo(volumesBefore);
    assertThat(k3sbox.state().cluster(name)).doesNotExist();
  }

  private static int allVolumes() {
    List<?> v = DockerState.DOCKER.listVolumesCmd().exec().getVolumes();
    return v == null ? 0 : v.size();
  }
}
