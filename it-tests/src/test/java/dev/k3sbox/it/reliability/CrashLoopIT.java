package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server crash-loops behind k3sbox's back (its CA file is damaged, then it is restarted):
 * {@code status} says {@code unhealthy}; {@code up} recreates the container once on the same data,
 * fails fast with the server's own reason and how to start afresh; {@code down} cleans up.
 */
class CrashLoopIT {
  @TempDir Path dir;

  @Test
  void shouldReportCrashLoopAndFailFastWithTheWayOut() throws Exception {
    // Given
    String name = "rel-crashloop";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    String id = clusterWithDamagedCa(k3sbox, name, 17470);

    // When: it restarts on its damaged data, again and again (one restart is not a loop)
    DockerState.exec(id, "sh", "-c", "kill 1");
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> DockerState.DOCKER.inspectContainerCmd(id).exec().getRestartCount() >= 3);
    var status = k3sbox.run("status", "--name", name, "--json");
    long started = System.nanoTime();
    var up = k3sbox.run("up", "--name", name, "--api-port", "17470");
    long upSeconds = (System.nanoTime() - started) / 1_000_000_000L;

    // Then
    assertThat(status.out()).contains("\"state\" : \"unhealthy\"").contains("restarting");
    assertThat(up.exitCode()).as(up.err()).isEqualTo(3);
    assertThat(upSeconds).as("fails fast, not after --timeout").isLessThan(60);
    assertThat(up.err()).contains("crash-looping").contains("holds no PEM certificate");
    assertThat(up.errorLines()).hasSize(1);
    assertThat(k3sbox.run("down", "--name", name).exitCode()).isZero();
    assertThat(DockerState.containers(name)).isEmpty();
    assertThat(DockerState.volumes(name)).isEmpty();
  }

  /**
   * A stopped cluster whose data was damaged: {@code up} starts the same container again, which has
   * died before; its old {@code die} events must not count, its new one must end the wait.
   */
  @Test
  void shouldFailFastWhenStoppedClusterDiesAgainAtStart() throws Exception {
    // Given
    String name = "rel-diesagain";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    String id = clusterWithDamagedCa(k3sbox, name, 17472);
    DockerState.DOCKER.stopContainerCmd(id).exec();

    // When
    long started = System.nanoTime();
    var up = k3sbox.run("up", "--name", name, "--api-port", "17472");
    long upSeconds = (System.nanoTime() - started) / 1_000_000_000L;

    // Then
    assertThat(up.exitCode()).as(up.err()).isEqualTo(3);
    assertThat(upSeconds).as("fails fast, not after --timeout").isLessThan(30);
    assertThat(up.errorLines()).hasSize(1);
    assertThat(up.errorLines().get(0))
        .contains("exited with code")
        .contains("k3sbox down --name " + name);
    assertThat(up.err()).contains("holds no PEM certificate");
    assertThat(k3sbox.run("down", "--name", name).exitCode()).isZero();
    assertThat(DockerState.containers(name)).isEmpty();
  }

  /** A ready cluster whose CA file is then damaged: it runs on, and dies at its next start. */
  private static String clusterWithDamagedCa(K3sboxProcess k3sbox, String name, int port)
      throws Exception {
    SharedK3s.requireImage(SharedK3s.image());
    String id = k3sbox.freshCluster(name, port);
    DockerState.exec(id, "sh", "-c", "echo damaged > /var/lib/rancher/k3s/server/tls/ca.crt");
    return id;
  }
}
