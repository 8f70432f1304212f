package dev.k3sbox.helm.parse;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * One object of a rendered chart.
 *
 * @param source the template it came from, as Helm's {@code # Source:} comment names it
 * @param resource the object as rendered; kept generic so that fields unknown to any model (the
 *     very mistakes strict validation must report) survive the round trip
 */
public record ManifestObject(String source, GenericKubernetesResource resource) {

  public String apiVersion() {
    return resource.getApiVersion();
  }

  public String kind() {
    return resource.getKind();
  }

  public String name() {
    return resource.getMetadata() == null ? null : resource.getMetadata().getName();
  }

  public String namespace() {
    return resource.getMetadata() == null ? null : resource.getMetadata().getNamespace();
  }

  public String group() {
    String v = apiVersion();
    return v == null || !v.contains("/") ? "" : v.substring(0, v.indexOf('/'));
  }

  public boolean isCrd() {
    return "CustomResourceDefinition".equals(kind()) && "apiextensions.k8s.io".equals(group());
  }

  public boolean isNamespace() {
    return "Namespace".equals(kind()) && "v1".equals(apiVersion());
  }

  /** {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped objects. */
  public String displayName() {
    String ns = namespace();
    return kind() + "/" + (ns == null ? "" : ns + "/") + name();
  }
}
