package dev.k3sbox.helm.validate;

import dev.k3sbox.helm.cluster.ObjectRef;
import java.util.List;

/**
 * The verdict on one object of a chart.
 *
 * @param ref the object, with the namespace it was sent to ({@code null} when cluster-scoped)
 * @param source the template it came from
 * @param errors the API server's messages; empty when valid
 * @param warnings the server's warnings (deprecations) and k3sbox's own (admission webhooks)
 * @param hook the Helm hook events it runs at ({@code pre-install}, {@code test}, ...), or {@code
 *     null} for an object of the release itself
 */
public record ObjectResult(
    ObjectRef ref, String source, List<String> errors, List<String> warnings, String hook) {

  public ObjectResult {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public ObjectResult(ObjectRef ref, String source, List<String> errors, List<String> warnings) {
    this(ref, source, errors, warnings, null);
  }

  public boolean valid() {
    return errors.isEmpty();
  }
}
