package dev.k3sbox.it.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.Cli;
import dev.k3sbox.it.support.ClusterSnapshot;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.KubectlProxy;
import dev.k3sbox.it.support.SharedK3s;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code k3sbox validate} against a real API server: every verdict is the server's own. */
class ValidateIT {
  @TempDir Path dir;

  private KubernetesClient client;
  private ClusterSnapshot before;

  @BeforeEach
  void snapshot() {
    client = SharedK3s.client();
    before = ClusterSnapshot.take(client);
  }

  @AfterEach
  void shouldLeaveTheClusterAsItWas() {
    // On a --kubeconfig cluster the scratch scope is deleted without waiting (a CRD can take a
    // minute to go): the cluster is as it was once those deletions finish.
    await("the scratch scope to be gone")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> assertThat(ClusterSnapshot.take(client).names()).isEqualTo(before.names()));
    client.close();
  }

  @Test
  void shouldFindHelmsStarterChartValid() throws Exception {
    // Given
    Helm.create().withName("starter").withDir(dir).call();

    // When
    Cli run = validate(dir.resolve("starter").toString(), "-o", "json");

    // Then
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("summary").get("invalid").asInt()).isZero();
    // ServiceAccount, Service, Deployment, and the test hook Pod that `helm test` runs
    assertThat(json.get("summary").get("total").asInt()).isEqualTo(4);
    assertThat(json.get("results").findValuesAsText("hook")).contains("test");
    assertThat(json.get("release").asText()).isEqualTo("starter");
  }

  @Test
  void shouldValidateThroughKubectlProxyOnPlainHttp() throws Exception {
    // Given: plain HTTP, where the client must not try an h2c upgrade (the proxy passes it on to
    // the API server, which fails the request)
    Helm.create().withName("starter").withDir(dir).call();
    try (KubectlProxy proxy = KubectlProxy.start(SharedK3s.kubeconfig())) {
      Path kubeconfig = proxy.kubeconfig(dir);

      // When
      Cli run =
          Cli.run(
              "validate",
              dir.resolve("starter").toString(),
              "--kubeconfig",
              kubeconfig.toString(),
              "-o",
              "json");

      // Then
      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode summary = new ObjectMapper().readTree(run.out()).get("summary");
      assertThat(summary.get("valid").asInt()).isEqualTo(4);
    }
  }

  @Test
  void shouldReportEveryInvalidObjectAsTheApiServerWordsIt() throws Exception {
    // When
    Cli run = validate(Cli.chart("broken").toString(), "--release", "it", "-o", "json");

    // Then
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    Map<String, JsonNode> results = byName(new ObjectMapper().readTree(run.out()));
    assertValid(results, "widgets.it.k3sbox.dev");
    assertValid(results, "good-widget");
    assertValid(results, "it-own-ns");
    assertValid(results, "in-own-ns");
    assertValid(results, "fine");
    assertWarning(
        results,
        "deprecated-annotation",
        "metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+");
    assertWarning(results, "it-webhook", "registers an admission webhook");
    assertThat(results.get("widgets.it.k3sbox.dev").get("source").asText())
        .isEqualTo("broken/crds/widgets.yaml");
    assertThat(results.get("in-own-ns").get("namespace").asText()).isEqualTo("it-own-ns");
    assertThat(results.get("fine").get("namespace").asText()).isEqualTo("default");
    assertError(
        results,
        "huge-widget",
        "spec.size: Invalid value: 50: spec.size in body should be less than or equal to 5");
    assertError(results, "unknown-field", "imagePullPolicyy: field not declared in schema");
    assertError(results, "odd-widget", ".spec.colour: field not declared in schema");
    assertError(
        results,
        "port-out-of-range",
        "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive");
    assertError(
        results,
        "Invalid_Name",
        "metadata.name: Invalid value: \"Invalid_Name\": a lowercase RFC 1123 subdomain");
    assertError(
        results,
        "removed-api",
        "no matches for kind \"Ingress\" in version \"extensions/v1beta1\"");
    assertError(
        results,
        "bad-restart-policy",
        "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
    assertError(
        results,
        "no-path-type",
        "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified");
  }

  @Test
  void shouldWriteAJunitReportAndATextSummary() throws Exception {
    // Given
    Path report = dir.resolve("report.xml");

    // When
    Cli run =
        validate(
            Cli.chart("broken").toString(), "-o", "junit", "--report", report.toString(), "-q");

    // Then
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(Files.readString(report))
        .contains("<testsuites name=\"k3sbox validate\" tests=\"15\" failures=\"8\">");
    assertThat(run.out()).contains("15 objects: 7 valid, 8 invalid, 2 warnings");
  }

  @Test
  void shouldRenderWhateverTheUsersOwnKubeconfigSays() throws Exception {
    // Given: $KUBECONFIG (not the --kubeconfig target) names a context that no longer exists
    K3sboxProcess k3sbox = new K3sboxProcess(dir.resolve("process"));
    k3sbox.writeKubeconfig("apiVersion: v1\nkind: Config\ncurrent-context: gone\n");

    // When
    ChildJvm.Result run =
        k3sbox.run(
            "validate",
            Cli.chart("app").toString(),
            "--kubeconfig",
            SharedK3s.kubeconfig().toString(),
            "-q");

    // Then: Helm's client-only render does not read it
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("0 invalid");
  }

  @Test
  void shouldExtractHelmsNativeLibraryOnceIntoTheCache() throws Exception {
    // Given: a fresh process with its own K3SBOX_HOME, as a user's first run, without Helm's
    // engine: helm-java is the fallback renderer then
    K3sboxProcess k3sbox =
        new K3sboxProcess(dir.resolve("process")).withEnv(Map.of("K3SBOX_HELM_ENGINE", ""));
    String[] args = {
      "validate",
      Cli.chart("broken").toString(),
      "--kubeconfig",
      SharedK3s.kubeconfig().toString(),
      "-q"
    };

    // When
    ChildJvm.Result first = k3sbox.run(args);
    List<Path> cached = helmLibraries(k3sbox.state().cache());
    FileTime written = Files.getLastModifiedTime(cached.get(0));
    ChildJvm.Result second = k3sbox.run(args);

    // Then: one copy, reused by the second run rather than written again
    assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
    assertThat(second.exitCode()).as(second.err()).isEqualTo(1);
    assertThat(cached).hasSize(1);
    assertThat(helmLibraries(k3sbox.state().cache())).isEqualTo(cached);
    assertThat(Files.getLastModifiedTime(cached.get(0))).isEqualTo(written);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cached.get(0))))
        .isEqualTo("rwx------");
  }

  private static List<Path> helmLibraries(Path cache) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".so")).toList();
    }
  }

  @Test
  void shouldReadTheRenderedYamlAsHelmSendsIt() throws Exception {
    // Given: values YAML 1.1 reads otherwise than YAML 1.2. Helm converts a manifest with
    // sigs.k8s.io/yaml (YAML 1.1) before it sends it: `yes` is a boolean, `0644` is octal 420.
    Path chart = dir.resolve("yaml11");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(
        chart.resolve("Chart.yaml"), "apiVersion: v2\nname: yaml11\nversion: 0.1.0\n");
    Files.writeString(
        chart.resolve("templates/flags.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  enabled: yes\n");
    Files.writeString(
        chart.resolve("templates/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: mode\nspec:\n  containers:\n"
            + "  - name: c\n    image: busybox\n  volumes:\n  - name: v\n    configMap:\n"
            + "      name: flags\n      defaultMode: 0644\n");

    // When
    Cli run = validate(chart.toString(), "-o", "json");

    // Then: the ConfigMap is refused as `helm install` would have it refused, and 0644 is the
    // valid mode 420 (in YAML 1.2, 644: above the API's limit of 0777)
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    Map<String, JsonNode> results = byName(new ObjectMapper().readTree(run.out()));
    assertError(results, "flags", "expected string, got");
    assertValid(results, "mode");
  }

  private static Cli validate(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "validate";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--kubeconfig";
    all[args.length + 2] = SharedK3s.kubeconfig().toString();
    return Cli.run(all);
  }

  private static Map<String, JsonNode> byName(JsonNode json) {
    Map<String, JsonNode> results = new HashMap<>();
    json.get("results").forEach(r -> results.put(r.get("name").asText(), r));
    return results;
  }

  private static void assertValid(Map<String, JsonNode> results, String name) {
    assertThat(results.get(name)).as(name).isNotNull();
    assertThat(results.get(name).get("valid").asBoolean())
        .as(results.get(name).toString())
        .isTrue();
  }

  private static void assertWarning(Map<String, JsonNode> results, String name, String words) {
    assertValid(results, name);
    assertThat(results.get(name).get("warnings").get(0).asText()).as(name).contains(words);
  }

  private static void assertError(Map<String, JsonNode> results, String name, String words) {
    JsonNode r = results.get(name);
    assertThat(r).as(name).isNotNull();
    assertThat(r.get("valid").asBoolean()).as(r.toString()).isFalse();
    assertThat(r.get("errors").get(0).asText()).as(name).contains(words);
  }
}
