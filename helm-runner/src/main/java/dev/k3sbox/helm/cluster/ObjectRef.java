package dev.k3sbox.helm.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.k3sbox.helm.parse.ManifestObject;

/** Names one object in a cluster; {@code namespace} is {@code null} for cluster-scoped kinds. */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

  /** A chart's object as sent to {@code namespace}, which may differ from the one it names. */
  public static ObjectRef of(ManifestObject object, String namespace) {
    return new ObjectRef(object.apiVersion(), object.kind(), namespace, object.name());
  }

  @JsonIgnore // derived: kept out of the inventory JSON
  public boolean isCrd() {
    return "CustomResourceDefinition".equals(kind)
        && apiVersion.startsWith("apiextensions.k8s.io/");
  }

  @JsonIgnore
  public boolean isNamespace() {
    return "Namespace".equals(kind) && "v1".equals(apiVersion);
  }

  /** {@code Kind/namespace/name}, or {@code Kind/name} when cluster-scoped. */
  public String display() {
    return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
  }
}
