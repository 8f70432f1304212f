package dev.k3sbox.it.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.GeneratedChart;
import dev.k3sbox.it.support.SharedK3s;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The CI recipes of the docs ({@code docs/ci/}), run as written on this machine: the GitHub Actions
 * job's {@code run:} steps in the order and with the {@code if: always()} rule Actions has, and the
 * GitLab job's {@code before_script}, {@code script} and {@code after_script} as GitLab runs them;
 * each installs k3sbox from the archive {@code ./mvnw package} made (its URL a {@code file://}
 * one), starts a cluster, validates a chart into a JUnit report and removes the cluster. Two things
 * differ from a real runner, both set from outside the scripts: the cluster's name ({@code
 * $K3SBOX_CLUSTER}) and its API port, so that the test never meets a user's cluster.
 */
class CiRecipesIT {
  private static final String CLUSTER = "ci-recipe";
  private static final Path DOCS = Path.of("..", "docs", "ci").toAbsolutePath().normalize();
  private static final Path CLI_TARGET =
      Path.of("..", "cli", "target").toAbsolutePath().normalize();
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @AfterEach
  void removeWhatAFailureLeft() {
    DockerState.purge(CLUSTER);
  }

  @Test
  void shouldRunTheGitHubActionsJobAsWritten() throws Exception {
    // Given
    JsonNode job =
        YAML.readTree(DOCS.resolve("github-actions.yml").toFile()).path("jobs").path("validate");
    Path checkout = checkout();
    Path githubPath = dir.resolve("github_path");
    Files.createFile(githubPath);
    Map<String, String> env = environment(job.path("env"), checkout);
    env.put("RUNNER_TEMP", Files.createDirectories(dir.resolve("runner-temp")).toString());
    env.put("GITHUB_PATH", githubPath.toString());

    // When: each `run:` step in its own bash (Actions' `bash -e {0}`); after a failure only the
    // steps marked `if: always()` still run; lines added to $GITHUB_PATH reach later steps' PATH.
    List<String> failures = new ArrayList<>();
    int ran = 0;
    for (JsonNode step : job.path("steps")) {
      if (!step.has("run")
          || (!failures.isEmpty() && !step.path("if").asString("").equals("always()"))) {
        continue;
      }
      Map<String, String> stepEnv = new HashMap<>(env);
      List<String> added = new ArrayList<>(Files.readAllLines(githubPath));
      java.util.Collections.reverse(added); // the last line added comes first
      stepEnv.put("PATH", String.join(":", added) + ":" + env.get("PATH"));
      Shell.Result r = Shell.bash(checkout, dir, stepEnv, onTestPort(step.path("run").asString()));
      ran++;
      if (r.code() != 0) {
        failures.add(step.path("name").asString() + " exited " + r.code() + ": " + r.err());
      }
    }

    // Then
    assertThat(failures).isEmpty();
    assertThat(ran).isEqualTo(4);
    assertReportAndNoCluster(checkout);
  }

  @Test
  void shouldRunTheGitLabJobAsWritten() throws Exception {
    // Given
    JsonNode job = YAML.readTree(DOCS.resolve("gitlab-ci.yml").toFile()).path("validate-chart");
    Path checkout = checkout();
    Map<String, String> env = environment(job.path("variables"), checkout);
    env.put("CI_PROJECT_DIR", checkout.toString());

    // When: before_script and script in one shell (bash -e, as GitLab's), after_script in another
    Shell.Result main =
        Shell.bash(
            checkout,
            dir,
            env,
            onTestPort(lines(job.path("before_script")) + lines(job.path("script"))));
    Shell.Result after = Shell.bash(checkout, dir, env, lines(job.path("after_script")));

    // Then
    assertThat(main.code()).as(main.err()).isZero();
    assertThat(after.code()).as(after.err()).isZero();
    assertReportAndNoCluster(checkout);
  }

  private void assertReportAndNoCluster(Path checkout) throws IOException {
    Path report = checkout.resolve("validate.xml");
    assertThat(report).isRegularFile();
    assertThat(Files.readString(report))
        .contains("<testsuite")
        .contains("tests=\"6\"")
        .contains("failures=\"0\"");
    assertThat(DockerState.containers(CLUSTER))
        .as("the recipe's down removed the cluster")
        .isEmpty();
  }

  /** A repository with a chart and its CI values file, as the recipes expect it. */
  private Path checkout() throws IOException {
    Path checkout = Files.createDirectories(dir.resolve("checkout"));
    Path chart = Files.move(GeneratedChart.of(checkout, 4), checkout.resolve("chart"));
    Files.createDirectories(chart.resolve("ci"));
    Files.writeString(chart.resolve("ci").resolve("test-values.yaml"), "count: 6\n");
    return checkout;
  }

  /** The job's variables with the archive's real URL and version, a private HOME, our cluster. */
  private Map<String, String> environment(JsonNode variables, Path checkout) throws IOException {
    Map<String, String> env = new HashMap<>();
    variables.properties().forEach(e -> env.put(e.getKey(), e.getValue().asString()));
    Path archive = Shell.archive();
    String version =
        archive
            .getFileName()
            .toString()
            .replaceFirst("^k3sbox-", "")
            .replaceFirst("\\.tar\\.gz$", "");
    assertThat(env).containsKeys("K3SBOX_URL", "K3SBOX_VERSION");
    env.put("K3SBOX_URL", archive.toUri().toString());
    env.put("K3SBOX_VERSION", version);
    env.put("K3SBOX_CLUSTER", CLUSTER);
    env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    env.put("PATH", System.getenv("PATH"));
    env.put("CI", "true"); // as GitHub Actions sets it (k3sbox then starts no warm JVM)
    return env;
  }

  /** The recipes' `k3sbox up` on a port of the test's own: 6443 may be a developer's cluster. */
  private static String onTestPort(String script) {
    return script.replaceAll(
        "(?m)k3sbox up$", "k3sbox up --api-port 17463 --image " + SharedK3s.image());
  }

  private static String lines(JsonNode list) {
    StringBuilder s = new StringBuilder();
    list.forEach(line -> s.append(line.asString()).append('\n'));
    return s.toString();
  }
}
