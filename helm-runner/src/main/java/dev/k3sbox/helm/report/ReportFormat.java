package dev.k3sbox.helm.report;

import dev.k3sbox.helm.validate.ValidationReport;
import java.util.List;
import java.util.function.Function;

/**
 * The forms a validation report takes: for people, for scripts, for CI systems, for code-scanning
 * views.
 */
public enum ReportFormat {
  TEXT(TextReport::render),
  JSON(JsonReport::render),
  JUNIT(JunitReport::render),
  SARIF(SarifReport::render);

  private final Function<List<ValidationReport>, String> renderer;

  ReportFormat(Function<List<ValidationReport>, String> renderer) {
    this.renderer = renderer;
  }

  /** The reports of one run (one per chart) as one document, ending in a newline. */
  public String render(List<ValidationReport> reports) {
    return renderer.apply(reports);
  }
}
