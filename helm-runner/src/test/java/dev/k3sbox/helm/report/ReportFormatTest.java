package dev.k3sbox.helm.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.helm.cluster.ObjectRef;
import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.util.List;
import org.junit.jupiter.api.Test;
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
}
