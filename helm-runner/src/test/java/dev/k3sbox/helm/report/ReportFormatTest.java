package dev.k3sbox.helm.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.helm.cluster.ObjectRef;
import dev.k3sbox.helm.matrix.MatrixCell;
import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class ReportFormatTest {
  private final ValidationReport report =
      new ValidationReport(
          "charts/demo",
          "demo",
          "default",
          List.of(
              new ObjectResult(
                  new ObjectRef("v1", "ConfigMap", "default", "a"),
                  "demo/templates/a.yaml",
                  List.of(),
                  List.of()),
              new ObjectResult(
                  new ObjectRef("batch/v1", "Job", "default", "j"),
                  "demo/templates/job.yaml",
                  List.of("Job.batch \"j\" is invalid: <bad> & \"worse\""),
                  List.of("deprecated"),
                  "pre-install")));

  @Test
  void shouldWriteTheDocumentedJsonShape() throws Exception {
    // When
    JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(List.of(report)));

    // Then
    assertThat(json.propertyNames())
        .containsExactly("chart", "release", "namespace", "results", "summary");
    assertThat(json.get("results").get(1).propertyNames())
        .containsExactly(
            "apiVersion",
            "kind",
            "namespace",
            "name",
            "source",
            "hook",
            "valid",
            "errors",
            "warnings");
    assertThat(json.get("results").get(1).get("valid").asBoolean()).isFalse();
    assertThat(json.get("results").get(1).get("hook").asText()).isEqualTo("pre-install");
    assertThat(json.get("results").get(0).get("hook").isNull()).isTrue();
    assertThat(json.get("summary").toString())
        .isEqualTo("{\"total\":2,\"valid\":1,\"invalid\":1,\"warnings\":1}");
  }

  @Test
  void shouldReportEveryInvalidObjectInText() {
    // When
    String text = ReportFormat.TEXT.render(List.of(report));

    // Then
    assertThat(text)
        .isEqualTo(
            "chart charts/demo (release demo, namespace default)\n"
                + "✓ ConfigMap/default/a  (demo/templates/a.yaml)\n"
                + "✗ Job/default/j  (hook pre-install, demo/templates/job.yaml)\n"
                + "    error: Job.batch \"j\" is invalid: <bad> & \"worse\"\n"
                + "    warning: deprecated\n"
                + "2 objects: 1 valid, 1 invalid, 1 warnings\n");
  }

  @Test
  void shouldWriteOneEscapedJunitTestCasePerObject() {
    // When
    String xml = ReportFormat.JUNIT.render(List.of(report));

    // Then
    assertThat(xml)
        .contains("<testsuites name=\"k3sbox validate\" tests=\"2\" failures=\"1\">")
        .contains("<testcase classname=\"demo/templates/a.yaml\" name=\"ConfigMap/default/a\"/>")
        .contains(
            "<failure message=\"Job.batch &quot;j&quot; is invalid: &lt;bad&gt; &amp;"
                + " &quot;worse&quot;\" type=\"rejected\">")
        .contains("<system-out>warning: deprecated</system-out>");
  }

  @Test
  void shouldLocateEachSarifFindingAtItsTemplateInTheChartFolder(@TempDir Path dir)
      throws Exception {
    // Given: the chart as a folder, named as the user gave it
    Path chart = Files.createDirectories(dir.resolve("charts/demo"));
    ValidationReport fromFolder =
        new ValidationReport(chart.toString(), "demo", "default", report.results());

    // When
    JsonNode sarif = new ObjectMapper().readTree(ReportFormat.SARIF.render(List.of(fromFolder)));

    // Then: one error and one warning, both at the Job's template
    assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
    JsonNode results = sarif.get("runs").get(0).get("results");
    assertThat(results).hasSize(2);
    assertThat(results.get(0).get("ruleId").asText()).isEqualTo("k3sbox/rejected");
    assertThat(results.get(0).get("level").asText()).isEqualTo("error");
    assertThat(results.get(1).get("level").asText()).isEqualTo("warning");
    assertThat(
            results
                .get(0)
                .get("locations")
                .get(0)
                .get("physicalLocation")
                .get("artifactLocation")
                .get("uri")
                .asText())
        .isEqualTo(chart.resolve("templates/job.yaml").toUri().toString());
    assertThat(results.get(0).get("message").get("text").asText())
        .startsWith("Job/default/j: Job.batch");
  }

  @Test
  void shouldKeepHelmsTemplateNameForAChartThatIsNoFolder() {
    assertThat(Sarif.uri("oci://example.com/charts/demo", "demo/templates/a.yaml"))
        .isEqualTo("demo/templates/a.yaml");
  }

  @Test
  void shouldPutSetAndVersionOnEveryResultOfAMatrix() throws Exception {
    // Given: two cells
    List<ValidationReport> cells =
        List.of(
            report.inCell(new MatrixCell("ci/a-values.yaml", "v1.34.4+k3sbox")),
            report.inCell(new MatrixCell("default", "v1.37.2+k3sbox")));

    // When
    JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(cells));
    String xml = ReportFormat.JUNIT.render(cells);
    String text = ReportFormat.TEXT.render(cells);
    JsonNode sarif = new ObjectMapper().readTree(ReportFormat.SARIF.render(cells));

    // Then
    assertThat(json.get("cells")).hasSize(2);
    assertThat(json.get("cells").get(0).get("summary").get("invalid").asInt()).isEqualTo(1);
    assertThat(json.get("results")).hasSize(4);
    for (JsonNode r : json.get("results")) {
      assertThat(r.get("valuesSet").isTextual()).isTrue();
      assertThat(r.get("kubernetesVersion").asText()).startsWith("v1.3");
    }
    assertThat(json.get("summary").get("failedCells").asInt()).isEqualTo(2);
    assertThat(xml)
        .contains("values ci/a-values.yaml, Kubernetes v1.34.4+k3sbox")
        .contains("values default, Kubernetes v1.37.2+k3sbox");
    assertThat(text)
        .startsWith("chart charts/demo (release demo, namespace default): 2 values sets × 2")
        .contains("✗ ci/a-values.yaml on v1.34.4: 1 of 2 objects invalid")
        .endsWith("2 cells: 0 valid, 2 failed (2 of 4 objects invalid)\n");
    assertThat(
            sarif
                .get("runs")
                .get(0)
                .get("results")
                .get(0)
                .get("properties")
                .get("valuesSet")
                .asText())
        .isEqualTo("ci/a-values.yaml");
  }
}
