package dev.k3sbox.helm.upgrade;

import dev.k3sbox.helm.report.Sarif;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What upgrading a release from one chart to another does, object by object: rejections first, then
 * deletions, additions, changes, and what stays the same.
 *
 * @param chart the new chart, as the user named it
 * @param fromChart the old chart
 * @param release the release name
 * @param namespace the release namespace
 * @param entries one per object of either release
 * @param notes what the check did besides, e.g. webhooks it removed from the throwaway server
 */
public record UpgradeReport(
    String chart,
    String fromChart,
    String release,
    String namespace,
    List<UpgradeEntry> entries,
    List<String> notes) {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  public UpgradeReport {
    entries =
        entries.stream()
            .sorted(
                Comparator.comparing(UpgradeEntry::verdict).thenComparing(e -> e.ref().display()))
            .toList();
    notes = List.copyOf(notes);
  }

  /** Whether the upgrade would go through: no object rejected. */
  public boolean upgradable() {
    return count(UpgradeVerdict.REJECTED) == 0;
  }

  public long count(UpgradeVerdict verdict) {
    return entries.stream().filter(e -> e.verdict() == verdict).count();
  }

  /** For people: one line an object (details indented below), then a summary line. */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append("upgrade of release ")
        .append(release)
        .append(" (namespace ")
        .append(namespace)
        .append(") from ")
        .append(fromChart)
        .append(" to ")
        .append(chart)
        .append('\n');
    for (UpgradeEntry e : entries) {
      out.append(String.format("  %-9s %s", e.verdict().label(), e.ref().display()));
      if (e.source() != null) {
        out.append("  (").append(e.source()).append(')');
      }
      out.append('\n');
      e.details().forEach(d -> out.append("            ").append(d).append('\n'));
    }
    notes.forEach(n -> out.append("note: ").append(n).append('\n'));
    out.append(summary()).append('\n');
    return out.toString();
  }

  /** One line: the counts, and the verdict. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    for (UpgradeVerdict v : UpgradeVerdict.values()) {
      s.append(s.isEmpty() ? "" : ", ").append(count(v)).append(' ').append(v.label());
    }
    return s
        + (upgradable()
            ? ": the upgrade would go through"
            : ": the upgrade would fail on the rejected objects");
  }

  /** For scripts: {@code {chart, fromChart, release, namespace, objects: [...], summary}}. */
  public String json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chart", chart);
    m.put("fromChart", fromChart);
    m.put("release", release);
    m.put("namespace", namespace);
    m.put(
        "objects",
        entries.stream()
            .map(
                e -> {
                  Map<String, Object> o = new LinkedHashMap<>();
                  o.put("apiVersion", e.ref().apiVersion());
                  o.put("kind", e.ref().kind());
                  o.put("namespace", e.ref().namespace());
                  o.put("name", e.ref().name());
                  o.put("source", e.source());
                  o.put("verdict", e.verdict().label());
                  o.put("details", e.details());
                  return o;
                })
            .toList());
    m.put("notes", notes);
    Map<String, Object> summary = new LinkedHashMap<>();
    for (UpgradeVerdict v : UpgradeVerdict.values()) {
      summary.put(v.label(), count(v));
    }
    summary.put("upgradable", upgradable());
    m.put("summary", summary);
    return MAPPER.writeValueAsString(m) + "\n";
  }

  /** For CI: one test case an object, failed when rejected. */
  public String junit() {
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.append("<testsuite name=\"")
        .append(xml("upgrade " + release + " from " + fromChart + " to " + chart))
        .append("\" tests=\"")
        .append(entries.size())
        .append("\" failures=\"")
        .append(count(UpgradeVerdict.REJECTED))
        .append("\">\n");
    for (UpgradeEntry e : entries) {
      x.append("  <testcase classname=\"")
          .append(xml(e.source() == null ? release : e.source()))
          .append("\" name=\"")
          .append(xml(e.ref().display() + " " + e.verdict().label()))
          .append('"');
      if (e.verdict() == UpgradeVerdict.REJECTED) {
        x.append(">\n    <failure message=\"")
            .append(xml(String.join("; ", e.details())))
            .append("\"/>\n  </testcase>\n");
      } else {
        x.append("/>\n");
      }
    }
    return x.append("</testsuite>\n").toString();
  }

  /**
   * For code-scanning views: SARIF 2.1.0, a rejection an error and a deletion by the upgrade a
   * note, each at its template file (the old chart's for a deletion).
   */
  public String sarif() {
    List<Map<String, Object>> results = new ArrayList<>();
    for (UpgradeEntry e : entries) {
      boolean rejected = e.verdict() == UpgradeVerdict.REJECTED;
      if (!rejected && e.verdict() != UpgradeVerdict.DELETED) {
        continue;
      }
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("release", release);
      properties.put("fromChart", fromChart);
      properties.put("verdict", e.verdict().label());
      String message =
          rejected
              ? e.ref().display() + ": the upgrade is refused: " + String.join("; ", e.details())
              : e.ref().display() + ": the upgrade deletes it";
      results.add(
          Sarif.result(
              rejected ? "k3sbox/upgrade-rejected" : "k3sbox/upgrade-deletes",
              rejected ? "error" : "note",
              message,
              e.ref().display(),
              Sarif.uri(e.source() != null && !rejected ? fromChart : chart, e.source()),
              properties));
    }
    return Sarif.log(
        List.of(
            Sarif.rule(
                "k3sbox/upgrade-rejected",
                "The API server refuses this object in the upgrade",
                "Applied over the old release on a real API server, the new object was refused"
                    + " (an immutable field changed, a version still stored dropped, ...)."),
            Sarif.rule(
                "k3sbox/upgrade-deletes",
                "The upgrade deletes this object",
                "The old release has the object and the new one does not: helm upgrade deletes"
                    + " it.")),
        results);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
