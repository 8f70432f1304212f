package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.GeneratedChart;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server dies while {@code validate} has its dry runs in flight (all of them on one HTTP/2
 * connection): one error line that names the cluster as the cause, exit 3, no library log lines or
 * stack traces, and no hang.
 */
class ServerLossDuringValidateIT {
  private static final String NAME = "rel-validate-loss";

  @TempDir Path dir;

  @Test
  void shouldReportTheLostClusterInOneLineWhenTheServerDiesMidRun() throws Exception {
    // Given
    SharedK3s.requireImage(SharedK3s.image());
    K3sboxProcess k3sbox = new K3sboxProcess(dir.resolve("k3sbox"));
    String id = k3sbox.freshCluster(NAME, 17472);
    Path chart = GeneratedChart.of(dir, 2000);
    ChildJvm validate = k3sbox.start("validate", chart.toString(), "--name", NAME);
    try {
      // When: the server is killed once the dry runs have started
      validate.awaitErr("dry-running", Duration.ofMinutes(2)); // the dry runs have started
      DockerState.DOCKER.killContainerCmd(id).exec();
      ChildJvm.Result result = validate.await(Duration.ofMinutes(2));

      // Then: where the loss lands (a dry run, a discovery call) only changes the wording
      assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
      assertThat(result.errorLines()).hasSize(1);
      assertThat(result.errorLines().get(0)).contains("the cluster").contains("run again");
      assertThat(result.err().lines())
          .as("no library log lines, no stack trace")
          .noneMatch(l -> l.startsWith("[") || l.startsWith("\tat ") || l.startsWith("java."));
    } finally {
      validate.process().destroyForcibly();
      k3sbox.run("down", "--name", NAME);
    }
  }
}
