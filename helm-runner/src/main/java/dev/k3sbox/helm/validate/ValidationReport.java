package dev.k3sbox.helm.validate;

import dev.k3sbox.helm.matrix.MatrixCell;
import java.util.List;

/**
 * Every object of one chart with its verdict, in the order the chart renders them.
 *
 * @param cell the values set and Kubernetes version of a matrix run, or {@code null} for a plain
 *     validation of one configuration on one cluster
 */
public record ValidationReport(
    String chart, String release, String namespace, List<ObjectResult> results, MatrixCell cell) {

  public ValidationReport {
    results = List.copyOf(results);
  }

  public ValidationReport(
      String chart, String release, String namespace, List<ObjectResult> results) {
    this(chart, release, namespace, results, null);
  }

  /** The same report, as the cell {@code cell} of a matrix. */
  public ValidationReport inCell(MatrixCell cell) {
    return new ValidationReport(chart, release, namespace, results, cell);
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
    return invalidCount() == 0;
  }
}
