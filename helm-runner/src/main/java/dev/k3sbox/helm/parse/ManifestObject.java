package dev.k3sbox.helm.parse;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

/**
 * One object of a rendered chart.
 *
 * @param source the template it came from, as Helm's {@code # Source:} comment names it
 * @param resource the object as rendered; kept generic so that fields unknown to any model (the
 *     very mistakes strict validation must report) survive the round trip
 * @param duplicateFields keys given twice in one mapping: parsing keeps only the last, so the API
 *     server never sees them, and they are reported from here
 */
public record ManifestObject(
    String source, GenericKubernetesResource resource, List<String> duplicateFields) {

  public ManifestObject {
    duplicateFields = List.copyOf(duplicateFields);
  }

  public ManifestObject(String source, GenericKubernetesResource resource) {
    this(source, resource, List.of());
  }

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
