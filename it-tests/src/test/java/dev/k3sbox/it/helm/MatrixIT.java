package dev.k3sbox.it.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SarifSchema;
import dev.k3sbox.it.support.SharedK3s;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.NodeList;

/**
 * Matrices: one chart for every values set (chart-testing's {@code ci/*-values.yaml}) and on real
 * API servers of the oldest and newest Kubernetes minors k3sbox builds, in one run and one report
 * (text, JSON, JUnit, SARIF checked against its schema). The API difference used is one the two
 * servers' discovery documents show: {@code storagemigration.k8s.io/v1} is served by 1.37 and not
 * by 1.34.
 */
class MatrixIT {
  static final String OLDEST = "k3sbox/controlplane-standin:v1.34.4";
  static final String NEWEST = "k3sbox/controlplane-standin:v1.37.2";
  private static final String BASE = "matrix-it";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static K3sboxProcess k3sbox;

  @BeforeAll
  static void images() {
    SharedK3s.requireImage(SharedK3s.image());
    // ./scripts/test builds both (`k3sbox image build --standin --kubernetes-version 1.34`).
    SharedK3s.requireImage(OLDEST);
    SharedK3s.requireImage(NEWEST);
    k3sbox = new K3sboxProcess(dir.resolve("k3sbox"));
  }

  @AfterAll
  static void removeVersionServers() {
    DockerState.purge(BASE + "-v1-34");
    DockerState.purge(BASE + "-v1-37");
  }

  @Test
  void shouldExplainAnObjectOneVersionServesAndTheOtherDoesNot() throws Exception {
    // Given: a chart with an object of an API only 1.37 serves, and one rendered only for 1.37
    Path chart =
        chart(
            "versions",
            Map.of(
                "templates/migration.yaml",
                "apiVersion: storagemigration.k8s.io/v1\n"
                    + "kind: StorageVersionMigration\n"
                    + "metadata:\n  name: secrets\n"
                    + "spec:\n  resource:\n    group: \"\"\n    resource: secrets\n",
                "templates/newer.yaml",
                "{{- if semverCompare \">=1.37-0\" .Capabilities.KubeVersion.Version }}\n"
                    + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: for-1-37\n"
                    + "data:\n  v: {{ .Capabilities.KubeVersion.Version | quote }}\n"
                    + "{{- end }}\n",
                "templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: everywhere\n"));

    // When: no server of either version runs yet
    ChildJvm.Result first =
        k3sbox.run(
            "validate",
            chart.toString(),
            "--kube-versions",
            "1.37,1.34",
            "--name",
            BASE,
            "-o",
            "json");

    // Then: both started at once, and the one difference explained from the servers' answers
    assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
    assertThat(first.err()).contains("starting 2 servers in parallel");
    JsonNode report = JSON.readTree(first.out());
    assertThat(texts(report.get("kubernetesVersions")))
        .containsExactly("v1.34.4+k3sbox", "v1.37.2+k3sbox");
    assertThat(
            verdict(report, "v1.34.4+k3sbox", "StorageVersionMigration", "secrets")
                .get("errors")
                .get(0)
                .asText())
        .contains("no matches for kind \"StorageVersionMigration\"");
    assertThat(
            verdict(report, "v1.37.2+k3sbox", "StorageVersionMigration", "secrets")
                .get("valid")
                .asBoolean())
        .isTrue();
    assertThat(report.get("differences")).hasSize(1);
    assertThat(report.get("differences").get(0).get("reason").asText())
        .isEqualTo("not served by 1.34 (accepted by 1.37)");
    // ... each version rendered for itself (.Capabilities)
    assertThat(verdict(report, "v1.37.2+k3sbox", "ConfigMap", "for-1-37")).isNotNull();
    assertThat(verdict(report, "v1.34.4+k3sbox", "ConfigMap", "for-1-37")).isNull();
    assertThat(report.get("summary").get("failedCells").asInt()).isEqualTo(1);

    // When: again, as SARIF, with the servers kept from the first run
    Path sarif = dir.resolve("versions.sarif");
    ChildJvm.Result again =
        k3sbox.run(
            "validate",
            chart.toString(),
            "--kube-versions",
            "1.34,1.37",
            "--name",
            BASE,
            "-o",
            "sarif",
            "--report",
            sarif.toString());
    ChildJvm.Result list = k3sbox.run("list");
    ChildJvm.Result downBase = k3sbox.run("down", "--name", BASE);
    ChildJvm.Result otherVersion =
        k3sbox.run("up", "--name", BASE + "-v1-34", "--kubernetes-version", "1.37");

    // Then
    assertThat(again.exitCode()).as(again.err()).isEqualTo(1);
    assertThat(again.err()).doesNotContain("starting");
    assertThat(again.out()).contains("not served by 1.34 (accepted by 1.37)");
    assertThat(list.out()).contains(BASE + "-v1-34").contains(BASE + "-v1-37");
    // ... `down` of the base cluster leaves them, and says so
    assertThat(downBase.exitCode()).as(downBase.err()).isZero();
    assertThat(downBase.err())
        .contains(
            "the Kubernetes version servers of matrix-it keep running: matrix-it-v1-34,"
                + " matrix-it-v1-37");
    // ... and a server is not moved to another version in place
    assertThat(otherVersion.exitCode()).isEqualTo(2);
    assertThat(otherVersion.err()).contains("runs Kubernetes v1.34.4+k3sbox, not 1.37");
    String document = Files.readString(sarif);
    assertThat(SarifSchema.violations(document)).isEmpty();
    JsonNode result = JSON.readTree(document).get("runs").get(0).get("results").get(0);
    assertThat(result.get("properties").get("kubernetesVersion").asText())
        .isEqualTo("v1.34.4+k3sbox");
    assertThat(
            result
                .get("locations")
                .get(0)
                .get("physicalLocation")
                .get("artifactLocation")
                .get("uri")
                .asText())
        .endsWith("versions/templates/migration.yaml");
  }

  @Test
  void shouldNameTheBrokenValuesSetAmongTheCiValuesFiles() throws Exception {
    // Given: chart-testing's layout, one set the server refuses and one that does not render
    Path chart =
        chart(
            "sets",
            Map.of(
                "values.yaml",
                "replicas: 1\n",
                "ci/one-values.yaml",
                "replicas: 2\n",
                "ci/two-values.yaml",
                "replicas: 3\n",
                "ci/broken-values.yaml",
                "replicas: -1\n",
                "ci/fails-values.yaml",
                "fail: true\n",
                "templates/guard.yaml",
                "{{- if .Values.fail }}{{ fail \"this set asks to fail\" }}{{ end }}\n",
                "templates/deploy.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                    + "  replicas: {{ .Values.replicas }}\n"
                    + "  selector:\n    matchLabels: {app: web}\n"
                    + "  template:\n    metadata:\n      labels: {app: web}\n"
                    + "    spec:\n      containers:\n        - {name: web, image: busybox}\n"));
    String kubeconfig = SharedK3s.kubeconfig().toString();

    // When: the same run in three formats
    ChildJvm.Result json =
        k3sbox.run(
            "validate", chart.toString(), "--ci-values", "--kubeconfig", kubeconfig, "-o", "json");
    Path junit = dir.resolve("sets.xml");
    ChildJvm.Result text =
        k3sbox.run(
            "validate",
            chart.toString(),
            "--ci-values",
            "--kubeconfig",
            kubeconfig,
            "-o",
            "junit",
            "--report",
            junit.toString());
    Path sarif = dir.resolve("sets.sarif");
    ChildJvm.Result sarifRun =
        k3sbox.run(
            "validate",
            chart.toString(),
            "--ci-values",
            "--kubeconfig",
            kubeconfig,
            "-o",
            "sarif",
            "--report",
            sarif.toString());

    // Then: one report, naming the broken set and only it
    assertThat(json.exitCode()).as(json.err()).isEqualTo(1);
    JsonNode report = JSON.readTree(json.out());
    assertThat(texts(report.get("valuesSets")))
        .containsExactly(
            "ci/broken-values.yaml",
            "ci/fails-values.yaml",
            "ci/one-values.yaml",
            "ci/two-values.yaml");
    List<String> failed = new ArrayList<>();
    for (JsonNode cell : report.get("cells")) {
      assertThat(cell.get("kubernetesVersion").asText()).startsWith("v1.");
      if (cell.get("summary").get("invalid").asInt() > 0 || !cell.get("error").isNull()) {
        failed.add(cell.get("valuesSet").asText());
      }
    }
    assertThat(failed).containsExactly("ci/broken-values.yaml", "ci/fails-values.yaml");
    assertThat(report.get("cells").get(1).get("error").asText()).contains("this set asks to fail");
    for (JsonNode r : report.get("results")) {
      assertThat(r.has("valuesSet")).isTrue();
      assertThat(r.has("kubernetesVersion")).isTrue();
    }
    assertThat(text.exitCode()).isEqualTo(1);
    assertThat(text.out())
        .containsPattern("✗ ci/broken-values.yaml on v1\\.\\d+\\.\\d+: 1 of 1 objects invalid")
        .contains("spec.replicas: Invalid value: -1")
        .containsPattern(
            "✗ ci/fails-values.yaml on v1\\.\\d+\\.\\d+: does not render: .*this set asks to fail")
        .contains("4 cells: 2 valid, 2 failed (1 not rendered; 1 of 3 objects invalid)");
    NodeList suites =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(junit.toFile())
            .getElementsByTagName("testsuite");
    assertThat(suites.getLength()).isEqualTo(4);
    assertThat(suites.item(0).getAttributes().getNamedItem("name").getNodeValue())
        .contains("values ci/broken-values.yaml, Kubernetes v1.");
    assertThat(suites.item(0).getAttributes().getNamedItem("failures").getNodeValue())
        .isEqualTo("1");
    assertThat(sarifRun.exitCode()).isEqualTo(1);
    String document = Files.readString(sarif);
    assertThat(SarifSchema.violations(document)).isEmpty();
    assertThat(SarifSchema.violations("{\"version\": \"2.0\", \"runs\": [{}]}"))
        .as("the schema check can fail")
        .isNotEmpty();
    JsonNode results = JSON.readTree(document).get("runs").get(0).get("results");
    assertThat(results).hasSize(2);
    assertThat(results.get(0).get("properties").get("valuesSet").asText())
        .isEqualTo("ci/broken-values.yaml");
    assertThat(results.get(0).get("level").asText()).isEqualTo("error");
    assertThat(results.get(1).get("ruleId").asText()).isEqualTo("k3sbox/render");
    assertThat(
            results
                .get(1)
                .get("locations")
                .get(0)
                .get("physicalLocation")
                .get("artifactLocation")
                .get("uri")
                .asText())
        .endsWith("sets/ci/fails-values.yaml");
  }

  @Test
  void shouldJudgeEachValuesSetWithTheCrdsItMakes() throws Exception {
    // Given: a CRD only one values set renders, and a custom resource of it in both
    Path chart =
        chart(
            "crd-sets",
            Map.of(
                "templates/crd.yaml",
                "{{- if .Values.crd }}\n"
                    + "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                    + "metadata:\n  name: gadgets.matrix.k3sbox.dev\n"
                    + "spec:\n  group: matrix.k3sbox.dev\n  scope: Namespaced\n"
                    + "  names: {plural: gadgets, singular: gadget, kind: Gadget}\n"
                    + "  versions:\n    - name: v1\n      served: true\n      storage: true\n"
                    + "      schema:\n        openAPIV3Schema: {type: object,"
                    + " x-kubernetes-preserve-unknown-fields: true}\n"
                    + "{{- end }}\n",
                "templates/gadget.yaml",
                "apiVersion: matrix.k3sbox.dev/v1\nkind: Gadget\nmetadata:\n  name: one\n"));
    Path without = Files.writeString(dir.resolve("without-crd.yaml"), "crd: false\n");
    Path with = Files.writeString(dir.resolve("with-crd.yaml"), "crd: true\n");

    // When: the set without the CRD first, on one server (scratch objects kept between cells)
    ChildJvm.Result run =
        k3sbox.run(
            "validate",
            chart.toString(),
            "--kube-versions",
            "1.37",
            "--name",
            BASE,
            "--values-set",
            without.toString(),
            "--values-set",
            with.toString(),
            "-o",
            "json");

    // Then: the custom resource is refused without its CRD and valid with it, not the first
    // verdict reused for the second set
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode report = JSON.readTree(run.out());
    List<String> verdicts = new ArrayList<>();
    for (JsonNode r : report.get("results")) {
      if (r.get("kind").asText().equals("Gadget")) {
        verdicts.add(r.get("valuesSet").asText().replaceAll(".*/", "") + " " + r.get("valid"));
      }
    }
    assertThat(verdicts).containsExactly("without-crd.yaml false", "with-crd.yaml true");
  }

  /** The result for an object in one version's cells, or null when that cell has none. */
  private static JsonNode verdict(JsonNode report, String version, String kind, String name) {
    for (JsonNode r : report.get("results")) {
      if (r.get("kubernetesVersion").asText().equals(version)
          && r.get("kind").asText().equals(kind)
          && r.get("name").asText().equals(name)) {
        return r;
      }
    }
    return null;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Path chart(String name, Map<String, String> files) throws IOException {
    Path chart = dir.resolve(name);
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(
        chart.resolve("Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n");
    for (var f : files.entrySet()) {
      Path file = chart.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue());
    }
    return chart;
  }
}
