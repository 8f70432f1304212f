package dev.k3sbox.helm.report;

import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.util.List;

/** One line per object ({@code ✓}/{@code ✗}, kind/namespace/name, source), then a summary. */
final class TextReport {
  private TextReport() {}

  static String render(List<ValidationReport> reports) {
    if (MatrixTextReport.isMatrix(reports)) {
      return MatrixTextReport.render(reports);
    }
    StringBuilder out = new StringBuilder();
    for (ValidationReport report : reports) {
      out.append("chart ")
          .append(report.chart())
          .append(" (release ")
          .append(report.release())
          .append(", namespace ")
          .append(report.namespace())
          .append(")\n");
      for (ObjectResult r : report.results()) {
        out.append(r.valid() ? "✓ " : "✗ ")
            .append(r.ref().display())
            .append("  (")
            .append(r.hook() == null ? "" : "hook " + r.hook() + ", ")
            .append(r.source())
            .append(")\n");
        r.errors().forEach(e -> out.append("    error: ").append(e).append('\n'));
        r.warnings().forEach(w -> out.append("    warning: ").append(w).append('\n'));
      }
      out.append(
          String.format(
              "%d objects: %d valid, %d invalid, %d warnings%n",
              report.total(), report.validCount(), report.invalidCount(), report.warningCount()));
    }
    return out.toString();
  }
}
