package dev.k3sbox.helm.report;

import dev.k3sbox.helm.matrix.VersionDifferences;
import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The documented JSON shape: {@code {chart, release, namespace, results: [...], summary: {...}}}.
 * Several charts give an array of those; a matrix run one document ({@link #matrix}). Built from
 * ordered maps so the key order is the documented one, whatever the records look like. Jackson 3,
 * fabric8's, so one JSON library is loaded.
 */
final class JsonReport {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private JsonReport() {}

  static String render(List<ValidationReport> reports) {
    if (MatrixTextReport.isMatrix(reports)) {
      return MAPPER.writeValueAsString(matrix(reports)) + "\n";
    }
    Object document =
        reports.size() == 1
            ? toMap(reports.get(0))
            : reports.stream().map(JsonReport::toMap).toList();
    return MAPPER.writeValueAsString(document) + "\n";
  }

  static Map<String, Object> toMap(ValidationReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chart", report.chart());
    m.put("release", report.release());
    m.put("namespace", report.namespace());
    m.put("results", report.results().stream().map(JsonReport::toMap).toList());
    m.put("summary", summary(report));
    return m;
  }

  /**
   * A matrix run: {@code {chart, release, namespace, valuesSets, kubernetesVersions, cells: [{
   * valuesSet, kubernetesVersion, summary}], results: [{valuesSet, kubernetesVersion, ...}],
   * differences: [...], summary}}.
   */
  static Map<String, Object> matrix(List<ValidationReport> cells) {
    ValidationReport first = cells.get(0);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chart", first.chart());
    m.put("release", first.release());
    m.put("namespace", first.namespace());
    m.put("valuesSets", cells.stream().map(c -> c.cell().valuesSet()).distinct().toList());
    m.put(
        "kubernetesVersions",
        cells.stream().map(c -> c.cell().kubernetesVersion()).distinct().toList());
    List<Map<String, Object>> cellSummaries = new ArrayList<>();
    List<Map<String, Object>> results = new ArrayList<>();
    for (ValidationReport c : cells) {
      Map<String, Object> cell = new LinkedHashMap<>();
      cell.put("valuesSet", c.cell().valuesSet());
      cell.put("kubernetesVersion", c.cell().kubernetesVersion());
      cell.put("error", c.failure());
      cell.put("summary", summary(c));
      cellSummaries.add(cell);
      for (ObjectResult r : c.results()) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("valuesSet", c.cell().valuesSet());
        result.put("kubernetesVersion", c.cell().kubernetesVersion());
        result.putAll(toMap(r));
        results.add(result);
      }
    }
    m.put("cells", cellSummaries);
    m.put("results", results);
    List<Map<String, Object>> differences = new ArrayList<>();
    for (var d : VersionDifferences.of(cells)) {
      Map<String, Object> difference = new LinkedHashMap<>();
      difference.put("valuesSet", d.valuesSet());
      difference.put("object", d.object());
      difference.put("source", d.source());
      difference.put("validOn", d.validOn());
      difference.put("invalidOn", d.invalidOn());
      difference.put("reason", d.reason());
      differences.add(difference);
    }
    m.put("differences", differences);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("cells", cells.size());
    summary.put("failedCells", cells.stream().filter(c -> !c.allValid()).count());
    summary.put("unrenderedCells", cells.stream().filter(c -> c.failure() != null).count());
    summary.put("total", cells.stream().mapToLong(ValidationReport::total).sum());
    summary.put("invalid", cells.stream().mapToLong(ValidationReport::invalidCount).sum());
    summary.put("warnings", cells.stream().mapToLong(ValidationReport::warningCount).sum());
    m.put("summary", summary);
    return m;
  }

  private static Map<String, Object> summary(ValidationReport report) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("total", report.total());
    summary.put("valid", report.validCount());
    summary.put("invalid", report.invalidCount());
    summary.put("warnings", report.warningCount());
    return summary;
  }

  private static Map<String, Object> toMap(ObjectResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", r.ref().apiVersion());
    m.put("kind", r.ref().kind());
    m.put("namespace", r.ref().namespace());
    m.put("name", r.ref().name());
    m.put("source", r.source());
    m.put("hook", r.hook());
    m.put("valid", r.valid());
    m.put("errors", r.errors());
    m.put("warnings", r.warnings());
    return m;
  }
}
