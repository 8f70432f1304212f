package dev.k3sbox.helm.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pieces of a SARIF 2.1.0 log that k3sbox's reports share: the log with its one run, rules, and
 * results located at a chart's template file.
 */
public final class Sarif {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private Sarif() {}

  /** The whole log: k3sbox as the tool, its rules, the results; ends in a newline. */
  public static String log(List<Map<String, Object>> rules, List<Map<String, Object>> results) {
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "k3sbox");
    driver.put("informationUri", "https://github.com/k3sbox/k3sbox");
    driver.put("rules", rules);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    run.put("results", results);
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("$schema", SCHEMA);
    log.put("version", "2.1.0");
    log.put("runs", List.of(run));
    return MAPPER.writeValueAsString(log) + "\n";
  }

  public static Map<String, Object> rule(String id, String shortText, String fullText) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("id", id);
    rule.put("shortDescription", Map.of("text", shortText));
    rule.put("fullDescription", Map.of("text", fullText));
    return rule;
  }

  /**
   * One finding.
   *
   * @param level {@code error}, {@code warning} or {@code note}
   * @param object the object, {@code Kind/namespace/name}, as its logical location
   * @param uri the file, from {@link #uri}
   */
  public static Map<String, Object> result(
      String rule,
      String level,
      String message,
      String object,
      String uri,
      Map<String, Object> properties) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("ruleId", rule);
    result.put("level", level);
    result.put("message", Map.of("text", message));
    Map<String, Object> location = new LinkedHashMap<>();
    location.put("physicalLocation", Map.of("artifactLocation", Map.of("uri", uri)));
    location.put(
        "logicalLocations", List.of(Map.of("fullyQualifiedName", object, "kind", "resource")));
    result.put("locations", List.of(location));
    result.put("properties", properties);
    return result;
  }

  /**
   * The template's file: {@code chart/templates/x.yaml} under the chart folder as given, so the
   * finding lands on the file as the repository holds it; Helm's name of it ({@code <chart
   * name>/templates/x.yaml}) for a packaged or fetched chart.
   */
  public static String uri(String chart, String source) {
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
