package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.Labels;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster keeps its port across repair: {@code up} without {@code --api-port} recreates a removed
 * container where the cluster was made, not at 127.0.0.1:6443, and says nothing of an ignored flag
 * the user did not give.
 */
class RecreateKeepsPortIT {
  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @Test
  void shouldRecreateARemovedContainerOnItsOwnPort() {
    // Given: a cluster made on a port of its own, its container removed behind k3sbox's back
    String name = "keep-port";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    String first = k3sbox.freshCluster(name, 17425);
    DockerState.DOCKER.removeContainerCmd(first).withForce(true).exec();

    // When: up, naming only the cluster
    var up = k3sbox.run("up", "--name", name, "--image", SharedK3s.image());
    var again = k3sbox.run("up", "--name", name);

    // Then: the same port, and no word of an ignored --api-port
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(DockerState.containers(name))
        .singleElement()
        .satisfies(c -> assertThat(c.getId()).isNotEqualTo(first))
        .satisfies(c -> assertThat(c.getLabels()).containsEntry(Labels.API_PORT, "17425"));
    assertThat(up.err()).contains("https://127.0.0.1:17425").doesNotContain("is ignored");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.err()).doesNotContain("is ignored");
    assertThat(k3sbox.run("down", "--name", name).exitCode()).isZero();
  }
}
