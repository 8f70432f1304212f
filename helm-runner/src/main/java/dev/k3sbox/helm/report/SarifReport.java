package dev.k3sbox.helm.report;

import dev.k3sbox.helm.matrix.MatrixCell;
import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validation as SARIF 2.1.0, for code-scanning views (GitHub, GitLab, IDEs): one result per
 * rejected object (level error) and per warning (level warning), each at its template file ({@link
 * Sarif#uri}). A matrix run's results carry their values set and Kubernetes version in their
 * message and properties.
 */
final class SarifReport {
  static final String REJECTED = "k3sbox/rejected";
  static final String WARNING = "k3sbox/warning";
  static final String RENDER = "k3sbox/render";

  private SarifReport() {}

  static String render(List<ValidationReport> reports) {
    List<Map<String, Object>> results = new ArrayList<>();
    for (ValidationReport report : reports) {
      if (report.failure() != null) {
        results.add(unrendered(report));
      }
      for (ObjectResult r : report.results()) {
        if (!r.valid()) {
          results.add(result(report, r, REJECTED, "error", String.join("; ", r.errors())));
        }
        for (String w : r.warnings()) {
          results.add(result(report, r, WARNING, "warning", w));
        }
      }
    }
    return Sarif.log(
        List.of(
            Sarif.rule(
                REJECTED,
                "The API server rejects this object",
                "A server-side dry run with strict field validation was refused by a real API"
                    + " server."),
            Sarif.rule(
                RENDER,
                "The chart does not render with this values set",
                "Helm refused to render the chart with these values (a fail or required in a"
                    + " template, values that do not parse)."),
            Sarif.rule(
                WARNING,
                "The API server warns about this object",
                "The API server accepted the object with a warning (a deprecated API or field),"
                    + " or k3sbox warns about what a control plane without nodes cannot run.")),
        results);
  }

  /** A values set that does not render, located at its file. */
  private static Map<String, Object> unrendered(ValidationReport report) {
    String set = report.cell().valuesSet();
    Path file = Path.of(set);
    // A ci/ set is named relative to its chart; a --values-set file as it was given.
    Path inChart = Path.of(report.chart()).resolve(set);
    String uri =
        set.equals(MatrixCell.DEFAULT_SET)
            ? report.chart()
            : Files.exists(inChart) ? inChart.toString() : file.toString();
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("chart", report.chart());
    properties.put("valuesSet", set);
    properties.put("kubernetesVersion", report.cell().kubernetesVersion());
    return Sarif.result(
        RENDER,
        "error",
        "values set "
            + set
            + " does not render on Kubernetes "
            + report.cell().kubernetesVersion()
            + ": "
            + report.failure(),
        report.chart(),
        uri,
        properties);
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
    return Sarif.result(
        rule,
        level,
        r.ref().display() + where + ": " + text,
        r.ref().display(),
        Sarif.uri(report.chart(), r.source()),
        properties);
  }
}
