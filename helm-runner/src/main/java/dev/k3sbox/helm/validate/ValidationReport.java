package dev.k3sbox.helm.validate;

import dev.k3sbox.helm.matrix.MatrixCell;
import java.util.List;

/**
 * Every object of one chart with its verdict, in the order the chart renders them.
 *
 * @param cell the values set and Kubernetes version of a matrix run, or {@code null} for a plain
 *     validation of one configuration on one cluster
 * @param failure why a matrix cell has no objects: its values set does not render (a {@code fail}
 *     or {@code required} in a template, values that do not parse), in Helm's words; else {@code
 *     null}. A plain validation stops with that error instead.
 */
public record ValidationReport(
    String chart,
    String release,
    String namespace,
    List<ObjectResult> results,
    MatrixCell cell,
    String failure) {

  public ValidationReport {
    results = List.copyOf(results);
  }

  public ValidationReport(
      String chart, String release, String namespace, List<ObjectResult> results) {
    this(chart, release, namespace, results, null, null);
  }

  /** The same report, as the cell {@code cell} of a matrix. */
  public ValidationReport inCell(MatrixCell cell) {
    return new ValidationReport(chart, release, namespace, results, cell, failure);
  }

  /** A matrix cell whose values set does not render. */
  public static ValidationReport unrendered(
      String chart, String release, String namespace, MatrixCell cell, String failure) {
    return new ValidationReport(chart, release, namespace, List.of(), cell, failure);
  }

  public long total() {
    return results.size();
  }

  public long validCount() {
    return results.stream().filter(ObjectResult::valid).count();
  }

  public long invalidCount() {
    return total() - validCount();
  }

  public long warningCount() {
    return results.stream().mapToLong(r -> r.warnings().size()).sum();
  }

  public boolean allValid() {
    return failure == null && invalidCount() == 0;
  }
}
