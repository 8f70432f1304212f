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

  @Test
  void shouldLeaveAStoppedClusterStoppedWhenItsPortIsNowTaken() throws Exception {
    // Given: a stopped cluster whose API port another process took meanwhile
    String name = "stopped-busy";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    String id = k3sbox.freshCluster(name, 17427);
    DockerState.DOCKER.stopContainerCmd(id).exec();
    try (java.net.ServerSocket held = new java.net.ServerSocket()) {
      held.bind(new java.net.InetSocketAddress("127.0.0.1", 17427));

      // When
      var up = k3sbox.run("up", "--name", name);

      // Then: exit 6 before Docker starts it (on the host network it would start and crash-loop)
      assertThat(up.exitCode()).as(up.err()).isEqualTo(6);
      assertThat(up.err()).contains("port 17427 on 127.0.0.1 is in use");
      var state = DockerState.DOCKER.inspectContainerCmd(id).exec().getState();
      assertThat(state.getRunning()).isFalse();
      assertThat(state.getRestarting()).isFalse();
    }
    // ... and once the port is free, it starts with its data
    var again = k3sbox.run("up", "--name", name);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(k3sbox.run("down", "--name", name).exitCode()).isZero();
  }

  @Test
  void shouldRecreateARemovedContainerWithItsOwnK3sArguments() {
    // Given: a cluster made with a server argument, its container removed behind k3sbox's back
    String name = "keep-args";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    String arg = "--kube-apiserver-arg=event-ttl=2h";
    var first =
        k3sbox.run(
            "up",
            "--name",
            name,
            "--api-port",
            "17429",
            "--image",
            SharedK3s.image(),
            "--k3s-arg",
            arg);
    assertThat(first.exitCode()).as(first.err()).isZero();
    DockerState.DOCKER
        .removeContainerCmd(DockerState.containers(name).get(0).getId())
        .withForce(true)
        .exec();

    // When: up, naming only the cluster
    var up = k3sbox.run("up", "--name", name);

    // Then: the same argument, not a server without it
    assertThat(up.exitCode()).as(up.err()).isZero();
    String id = DockerState.containers(name).get(0).getId();
    assertThat(DockerState.DOCKER.inspectContainerCmd(id).exec().getConfig().getCmd())
        .contains(arg);
    assertThat(k3sbox.run("down", "--name", name).exitCode()).isZero();
  }
}
