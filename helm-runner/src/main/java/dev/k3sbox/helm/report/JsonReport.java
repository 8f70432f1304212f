package dev.k3sbox.helm.report;

import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The documented JSON shape: {@code {chart, release, namespace, results: [...], summary: {...}}}.
 * Several charts give an array of those. Built from ordered maps so the key order is the documented
 * one, whatever the records look like. Jackson 3, fabric8's, so one JSON library is loaded.
 */
final class JsonReport {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private JsonReport() {}

  static String render(List<ValidationReport> reports) {
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
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("total", report.total());
    summary.put("valid", report.validCount());
    summary.put("invalid", report.invalidCount());
    summary.put("warnings", report.warningCount());
    m.put("summary", summary);
    return m;
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
