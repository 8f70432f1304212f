package dev.k3sbox.helm.report;

import dev.k3sbox.helm.matrix.VersionDifferences;
import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A matrix run for people, failures first: each cell with invalid objects and their errors, then
 * what differs between Kubernetes versions and why, then one line per valid cell, then a summary.
 */
final class MatrixTextReport {
  private MatrixTextReport() {}

  static String render(List<ValidationReport> cells) {
    StringBuilder out = new StringBuilder();
    ValidationReport first = cells.get(0);
    long sets = cells.stream().map(c -> c.cell().valuesSet()).distinct().count();
    long versions = cells.stream().map(c -> c.cell().kubernetesVersion()).distinct().count();
    out.append(
        String.format(
            "chart %s (release %s, namespace %s): %d values set%s × %d Kubernetes version%s%n",
            first.chart(),
            first.release(),
            first.namespace(),
            sets,
            sets == 1 ? "" : "s",
            versions,
            versions == 1 ? "" : "s"));
    List<ValidationReport> failed = new ArrayList<>();
    List<ValidationReport> passed = new ArrayList<>();
    for (ValidationReport c : cells) {
      (c.allValid() ? passed : failed).add(c);
    }
    failed.sort(
        Comparator.comparing((ValidationReport c) -> c.failure() == null)
            .thenComparing(Comparator.comparing(ValidationReport::invalidCount).reversed()));
    for (ValidationReport c : failed) {
      if (c.failure() != null) {
        out.append(String.format("✗ %s: does not render: %s%n", c.cell().display(), c.failure()));
        continue;
      }
      out.append(
          String.format(
              "✗ %s: %d of %d objects invalid%n", c.cell().display(), c.invalidCount(), c.total()));
      for (ObjectResult r : c.results()) {
        if (!r.valid()) {
          out.append("    ✗ ")
              .append(r.ref().display())
              .append("  (")
              .append(r.hook() == null ? "" : "hook " + r.hook() + ", ")
              .append(r.source())
              .append(")\n");
          r.errors().forEach(e -> out.append("        error: ").append(e).append('\n'));
        }
      }
    }
    List<VersionDifferences.Difference> differences = VersionDifferences.of(cells);
    if (!differences.isEmpty()) {
      out.append("differences between Kubernetes versions:\n");
      // One line for what differs alike in several values sets, naming them unless it is all.
      Map<String, List<String>> setsOf = new LinkedHashMap<>();
      for (var d : differences) {
        String line = (d.invalidOn().isEmpty() ? "⚠ " : "✗ ") + d.object() + ": " + d.reason();
        setsOf.computeIfAbsent(line, k -> new ArrayList<>()).add(d.valuesSet());
      }
      setsOf.forEach(
          (line, in) ->
              out.append("    ")
                  .append(line)
                  .append(in.size() == sets ? "" : " [" + String.join(", ", in) + "]")
                  .append('\n'));
    }
    for (ValidationReport c : passed) {
      out.append(
          String.format(
              "✓ %s: %d objects valid%s%n",
              c.cell().display(),
              c.total(),
              c.warningCount() == 0 ? "" : ", " + c.warningCount() + " warnings"));
    }
    long objects = cells.stream().mapToLong(ValidationReport::total).sum();
    long invalid = cells.stream().mapToLong(ValidationReport::invalidCount).sum();
    long unrendered = failed.stream().filter(c -> c.failure() != null).count();
    out.append(
        String.format(
            "%d cells: %d valid, %d failed (%s%d of %d objects invalid)%n",
            cells.size(),
            passed.size(),
            failed.size(),
            unrendered == 0 ? "" : unrendered + " not rendered; ",
            invalid,
            objects));
    return out.toString();
  }

  static boolean isMatrix(List<ValidationReport> reports) {
    return !reports.isEmpty() && reports.stream().allMatch(r -> r.cell() != null);
  }
}
