package dev.k3sbox.helm.cluster;

import java.util.List;

/**
 * What the API server said about one server-side apply (dry run or real).
 *
 * @param ref the object, with the namespace it was sent to
 * @param errors the server's own messages; empty when it accepted the object
 * @param warnings {@code Warning} headers, e.g. deprecated API versions
 */
public record ApplyOutcome(ObjectRef ref, List<String> errors, List<String> warnings) {
  public ApplyOutcome {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public boolean accepted() {
    return errors.isEmpty();
  }
}
