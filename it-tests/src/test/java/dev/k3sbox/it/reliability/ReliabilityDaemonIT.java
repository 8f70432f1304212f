package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker daemon answers. The machine's dockerd is shared, so it is never stopped: the child
 * points DOCKER_HOST at a socket nobody listens on, which k3sbox sees as a daemon that is down.
 */
class ReliabilityDaemonIT {
  private static final Map<String, String> NO_DAEMON =
      Map.of("DOCKER_HOST", "unix:///tmp/k3sbox-rel-nonexistent.sock");

  @TempDir Path dir;

  @Test
  void shouldReportDaemonNotRunningInStatus() {
    K3sboxProcess k3sbox = new K3sboxProcess(dir);

    var status =
        k3sbox
            .start(NO_DAEMON, null, "status", "--name", "rel-nodaemon", "--json")
            .await(Duration.ofSeconds(60));

    assertThat(status.exitCode()).as(status.err()).isEqualTo(9);
    assertThat(status.out())
        .contains("\"state\" : \"absent\"")
        .contains("the Docker daemon is not running");
  }

  @Test
  void shouldFailUpWithExitFourOneLineAndCreateNothing() throws Exception {
    String name = "rel-nodaemon";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);

    var up =
        k3sbox
            .start(NO_DAEMON, null, "up", "--name", name, "--api-port", "17413")
            .await(Duration.ofSeconds(60));

    assertThat(up.exitCode()).as(up.err()).isEqualTo(4);
    assertThat(up.errorLines()).hasSize(1);
    assertThat(up.errorLines().get(0)).contains("DOCKER_HOST");
    assertThat(up.err()).doesNotContain("\tat ");
    assertThat(DockerState.containers(name)).isEmpty();
    assertThat(DockerState.volumes(name)).isEmpty();
    assertThat(k3sbox.state().cluster(name)).doesNotExist();
    assertThat(Files.exists(k3sbox.kubeconfig())).isFalse();
  }
}
