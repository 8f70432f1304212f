package dev.k3sbox.helm.report;

import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * SARIF 2.1.0, for code-scanning views (GitHub, GitLab, IDEs): one result per rejected object
 * (level error) and per warning (level warning), each located at its template file. Helm names a
 * template {@code <chart name>/templates/x.yaml}; for a chart given as a folder the location is
 * that folder's file, as the repository holds it, so the finding lands on the right line of the
 * right file in a pull request view. A matrix run's results carry their values set and Kubernetes
 * version in their message and properties.
 */
final class SarifReport {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String REJECTED = "k3sbox/rejected";
  static final String WARNING = "k3sbox/warning";
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private SarifReport() {}

  static String render(List<ValidationReport> reports) {
    List<Map<String, Object>> results = new ArrayList<>();
    for (ValidationReport report : reports) {
      for (ObjectResult r : report.results()) {
        if (!r.valid()) {
          results.add(result(report, r, REJECTED, "error", String.join("; ", r.errors())));
        }
        for (String w : r.warnings()) {
          results.add(result(report, r, WARNING, "warning", w));
        }
      }
    }
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "k3sbox");
    driver.put("informationUri", "https://github.com/k3sbox/k3sbox");
    driver.put(
        "rules",
        List.of(
            rule(
                REJECTED,
                "The API server rejects this object",
                "A server-side dry run with strict field validation was refused by a real API"
                    + " server."),
            rule(
                WARNING,
                "The API server warns about this object",
                "The API server accepted the object with a warning (a deprecated API or field),"
                    + " or k3sbox warns about what a control plane without nodes cannot run.")));
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    run.put("results", results);
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("$schema", SCHEMA);
    log.put("version", "2.1.0");
    log.put("runs", List.of(run));
    return MAPPER.writeValueAsString(log) + "\n";
  }

  private static Map<String, Object> rule(String id, String shortText, String fullText) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("id", id);
    rule.put("shortDescription", Map.of("text", shortText));
    rule.put("fullDescription", Map.of("text", fullText));
    return rule;
  }

  private static Map<String, Object> result(
      ValidationReport report, ObjectResult r, String rule, String level, String text) {
    String where =
        report.cell() == null
            ? ""
            : " (values "
                + report.cell().valuesSet()
                + ", Kubernetes "
                + report.cell().kubernetesVersion()
                + ")";
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("ruleId", rule);
    result.put("level", level);
    result.put("message", Map.of("text", r.ref().display() + where + ": " + text));
    Map<String, Object> physical = new LinkedHashMap<>();
    physical.put("artifactLocation", Map.of("uri", uri(report.chart(), r.source())));
    Map<String, Object> location = new LinkedHashMap<>();
    location.put("physicalLocation", physical);
    location.put(
        "logicalLocations",
        List.of(Map.of("fullyQualifiedName", r.ref().display(), "kind", "resource")));
    result.put("locations", List.of(location));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("chart", report.chart());
    properties.put("apiVersion", r.ref().apiVersion());
    properties.put("kind", r.ref().kind());
    if (r.ref().namespace() != null) {
      properties.put("namespace", r.ref().namespace());
    }
    properties.put("name", r.ref().name());
    if (r.hook() != null) {
      properties.put("hook", r.hook());
    }
    if (report.cell() != null) {
      properties.put("valuesSet", report.cell().valuesSet());
      properties.put("kubernetesVersion", report.cell().kubernetesVersion());
    }
    result.put("properties", properties);
    return result;
  }

  /**
   * The template's file: {@code chart/templates/x.yaml} under the chart folder as given, or Helm's
   * name of it for a packaged or fetched chart.
   */
  static String uri(String chart, String source) {
    if (source == null || source.isEmpty()) {
      return chart;
    }
    int slash = source.indexOf('/');
    Path folder = Path.of(chart);
    if (slash < 0 || !Files.isDirectory(folder)) {
      return source;
    }
    Path file = folder.resolve(source.substring(slash + 1)).normalize();
    return file.isAbsolute() ? file.toUri().toString() : file.toString();
  }
}
