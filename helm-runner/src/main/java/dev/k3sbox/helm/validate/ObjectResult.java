package dev.k3sbox.helm.validate;

import java.util.List;

/**
 * The verdict on one object of a chart.
 *
 * @param namespace where it was sent ({@code null} when cluster-scoped)
 * @param source the template it came from
 * @param errors the API server's messages; empty when valid
 * @param warnings the server's warnings (deprecations) and k3sbox's own (admission webhooks)
 */
public record ObjectResult(
    String apiVersion,
    String kind,
    String namespace,
    String name,
    String source,
    List<String> errors,
    List<String> warnings) {

  public ObjectResult {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public boolean valid() {
    return errors.isEmpty();
  }

  /** {@code Kind/namespace/name}, or {@code Kind/name} when cluster-scoped. */
  public String display() {
    return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
  }
}
