package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.k3sbox.core.docker.DockerDaemon;
import dev.k3sbox.core.state.StateDir;
import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockerd dies while a cluster is up, and the {@code up} that restarts it is killed midway. Runs in
 * its own failsafe execution, after every other integration test, and only where k3sbox itself
 * started the daemon (the test command does so on a machine without one): stopping a daemon someone
 * else runs would disturb the machine.
 */
class DaemonLossIT {
  @TempDir Path dir;

  @Test
  void shouldReportLostDaemonAndBringDaemonAndClusterBackWithObjects() throws Exception {
    // Given: a k3sbox-started dockerd and a cluster holding an object
    SharedK3s.requireImage(SharedK3s.image());
    StateDir machine = StateDir.fromEnvironment();
    ProcessHandle dockerd = DockerDaemon.startedByK3sbox(machine).orElse(null);
    Assumptions.assumeTrue(
        dockerd != null,
        "dockerd was not started by k3sbox here; not stopping someone else's daemon");
    String name = "rel-daemon-loss";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    k3sbox.freshCluster(name, 17490);
    k3sbox.createSurvivor(name);

    // When: the daemon dies behind k3sbox's back
    dockerd.destroy();
    await().atMost(Duration.ofMinutes(1)).until(() -> !dockerd.isAlive());
    var status = k3sbox.run("status", "--name", name, "--json");
    var doctor = k3sbox.run("doctor");

    // Then: status and doctor say so (status: not running, exit 9)
    assertThat(status.exitCode()).isEqualTo(9);
    assertThat(status.out()).contains("the Docker daemon is not running");
    assertThat(doctor.exitCode()).isEqualTo(3);
    assertThat(doctor.errorLines()).hasSize(1);
    assertThat(doctor.errorLines().get(0)).contains("doctor --fix");

    // When: an up that starts the daemon is killed with SIGKILL while doing so, then up again
    ChildJvm killed = k3sbox.start("up", "--name", name, "--api-port", "17490");
    killed.awaitErr("starting dockerd", Duration.ofMinutes(1));
    var killedRun = killed.kill();
    var up = k3sbox.run("up", "--name", name, "--api-port", "17490");

    // Then: the daemon and the cluster are back, with the object
    try {
      assertThat(killedRun.err()).contains("starting dockerd");
      assertThat(up.exitCode()).as(up.err()).isZero();
      assertThat(k3sbox.survivor(name)).isEqualTo("v");
    } finally {
      // The daemon now running was recorded in the test's own home: hand the record back, so
      // `k3sbox down --stop-docker` on this machine still knows k3sbox started it.
      Path restarted = DockerDaemon.startRecord(k3sbox.state());
      if (Files.exists(restarted)) {
        Files.copy(
            restarted, DockerDaemon.startRecord(machine), StandardCopyOption.REPLACE_EXISTING);
      }
      k3sbox.run("down", "--name", name);
    }
    assertThat(DockerState.containers(name)).isEmpty();
    assertThat(DockerDaemon.startedByK3sbox(machine))
        .as("the dockerd started by the killed up is still known as k3sbox's")
        .isPresent();
  }
}
