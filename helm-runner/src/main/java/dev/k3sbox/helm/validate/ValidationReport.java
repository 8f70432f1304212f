package dev.k3sbox.helm.validate;

import java.util.List;

/** Every object of one chart with its verdict, in the order the chart renders them. */
public record ValidationReport(
    String chart, String release, String namespace, List<ObjectResult> results) {

  public ValidationReport {
    results = List.copyOf(results);
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
