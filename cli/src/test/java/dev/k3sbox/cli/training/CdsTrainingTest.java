package dev.k3sbox.cli.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle training, run as the launcher runs it (a JVM of its own in a scratch environment):
 * it must take {@code up} all the way, Docker requests, the wait for the server's API and the
 * kubeconfig's merge, or the archive would miss what a real {@code up} loads, with nothing to show
 * for it.
 */
class CdsTrainingTest {
  @TempDir Path scratch;

  @Test
  void shouldTakeUpAllTheWayAgainstTheTrainingDaemon() throws Exception {
    // When
    Map<String, String> env = scratchEnvironment();
    env.put("K3SBOX_TRAINING_SHOW", "1");
    Result run = training("lifecycle", env);

    // Then: status, a whole up (its context merged into the scratch kubeconfig), status, down
    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("state:          absent")
        .contains("creating container k3sbox-cds-training")
        .contains("waiting for the default service account")
        .contains("context k3sbox-cds-training set as current in " + scratch.resolve("kubeconfig"))
        .contains("state:          running")
        .contains("removed cds-training");
    assertThat(run.output()).doesNotContain("error:");
  }

  @Test
  void shouldValidateAgainstTheTrainingApiServer() throws Exception {
    // When
    Map<String, String> env = scratchEnvironment();
    env.put("K3SBOX_TRAINING_SHOW", "1");
    Optional.ofNullable(System.getenv("K3SBOX_HELM_ENGINE"))
        .ifPresent(engine -> env.put("K3SBOX_HELM_ENGINE", engine));
    Result run = training("helm", env);

    // Then: the second validate gets the server's verdict over HTTP/2, not a refused connection
    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("training API: PATCH /api/v1/namespaces/default/configmaps/cds?dryRun=All")
        .contains("1 objects: 1 valid, 0 invalid, 0 warnings");
  }

  @Test
  void shouldRefuseToRunOutsideAScratchEnvironment() throws Exception {
    // When: DOCKER_HOST is the user's daemon
    Map<String, String> env = scratchEnvironment();
    env.put("DOCKER_HOST", "unix:///var/run/docker.sock");
    Result run = training("lifecycle", env);

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

  private Result training(String family, Map<String, String> env)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    CdsTraining.class.getName(),
                    family,
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
