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

  /** The annotation that makes an object a Helm hook, and its value: the events it runs at. */
  public static final String HOOK = "helm.sh/hook";

  /** Helm's hook events, comma-separated as annotated, or {@code null} for a release object. */
  public String hook() {
    return annotation(HOOK);
  }

  public boolean isHook() {
    return hook() != null && !hook().isBlank();
  }

  /** A {@code helm test} hook: never run by an install. */
  public boolean isTest() {
    return isHook() && hookEvents().stream().anyMatch(e -> e.startsWith("test"));
  }

  public List<String> hookEvents() {
    return isHook() ? splitList(hook()) : List.of();
  }

  /** {@code helm.sh/hook-weight}: lower runs first; 0 when absent or not a number, as in Helm. */
  public int hookWeight() {
    try {
      String w = annotation("helm.sh/hook-weight");
      return w == null ? 0 : Integer.parseInt(w.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** {@code helm.sh/hook-delete-policy}; Helm's default is {@code before-hook-creation}. */
  public List<String> hookDeletePolicies() {
    String p = annotation("helm.sh/hook-delete-policy");
    return p == null || p.isBlank() ? List.of("before-hook-creation") : splitList(p);
  }

  /**
   * What Helm never deletes on uninstall: a CRD from a {@code crds/} folder (Helm's source path
   * {@code <chart>/crds/<file>}), and an object annotated {@code helm.sh/resource-policy: keep}.
   */
  public boolean keptByHelm() {
    return fromCrdsFolder() || "keep".equals(annotation("helm.sh/resource-policy"));
  }

  /**
   * A CRD from a {@code crds/} folder: Helm creates it on install only, and neither upgrades nor
   * deletes it.
   */
  public boolean fromCrdsFolder() {
    return isCrd() && source.contains("/crds/") && !source.contains("/templates/");
  }

  private String annotation(String key) {
    var meta = resource.getMetadata();
    return meta == null || meta.getAnnotations() == null ? null : meta.getAnnotations().get(key);
  }

  private static List<String> splitList(String text) {
    return java.util.Arrays.stream(text.split(","))
        .map(String::strip)
        .filter(e -> !e.isEmpty())
        .toList();
  }

  /** {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped objects. */
  public String displayName() {
    String ns = namespace();
    return kind() + "/" + (ns == null ? "" : ns + "/") + name();
  }
}
