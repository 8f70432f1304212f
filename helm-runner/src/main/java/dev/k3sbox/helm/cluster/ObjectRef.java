package dev.k3sbox.helm.cluster;

/** Names one object in a cluster; {@code namespace} is {@code null} for cluster-scoped kinds. */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

  public boolean isCrd() {
    return "CustomResourceDefinition".equals(kind)
        && apiVersion.startsWith("apiextensions.k8s.io/");
  }

  public boolean isNamespace() {
    return "Namespace".equals(kind) && "v1".equals(apiVersion);
  }

  /** {@code Kind/namespace/name}, or {@code Kind/name} when cluster-scoped. */
  public String display() {
    return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
  }
}
