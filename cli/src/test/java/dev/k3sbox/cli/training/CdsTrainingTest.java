package dev.k3sbox.cli.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle training, run as the launcher runs it (a JVM of its own in a scratch environment):
 * it must take {@code up} through the Docker requests, the wait for the server and the reading of
 * its log, or the archive would miss what a real {@code up} loads, with nothing to show for it.
 */
class CdsTrainingTest {
  @TempDir Path scratch;

  @Test
  void shouldTakeUpThroughItsWaitAndItsRollbackAgainstTheTrainingDaemon() throws Exception {
    // When
    Map<String, String> env = scratchEnvironment();
    env.put("K3SBOX_TRAINING_SHOW", "1");
    Result run = training(env);

    // Then: status, then up as far as the server's death (its log read), then down
    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("state:          absent")
        .contains("creating container k3sbox-cds-training")
        .contains("waiting for the k3s server to write its kubeconfig")
        .contains("the k3s server exited with code 1 before it was ready: training:")
        .contains("cluster cds-training is not there; nothing to do");
    assertThat(scratch.resolve("kubeconfig")).doesNotExist();
  }

  @Test
  void shouldRefuseToRunOutsideAScratchEnvironment() throws Exception {
    // When: DOCKER_HOST is the user's daemon
    Map<String, String> env = scratchEnvironment();
    env.put("DOCKER_HOST", "unix:///var/run/docker.sock");
    Result run = training(env);

    // Then
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.output()).contains("CdsTraining runs only in the launcher's scratch folder");
  }

  private record Result(int code, String output) {}

  /** As the launcher sets it for the training. */
  private Map<String, String> scratchEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", scratch.toString());
    env.put("K3SBOX_HOME", scratch.resolve("k3sbox").toString());
    env.put("KUBECONFIG", scratch.resolve("kubeconfig").toString());
    env.put("DOCKER_HOST", "unix://" + scratch.resolve("docker.sock"));
    return env;
  }

  private Result training(Map<String, String> env) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    CdsTraining.class.getName(),
                    "lifecycle",
                    scratch.toString()))
            .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Files.deleteIfExists(scratch.resolve("docker.sock"));
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
