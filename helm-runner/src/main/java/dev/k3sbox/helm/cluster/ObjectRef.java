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

  /**
   * Whether this names the same object as {@code other}: the same group, kind, namespace and name,
   * whatever the version (an HPA moved from autoscaling/v1 to v2 is one object, as Helm counts it).
   */
  public boolean sameObject(ObjectRef other) {
    return group().equals(other.group())
        && kind.equals(other.kind)
        && java.util.Objects.equals(namespace, other.namespace)
        && name.equals(other.name);
  }

  /** The API group, {@code ""} for the core group. */
  @JsonIgnore
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** {@code Kind/namespace/name}, or {@code Kind/name} when cluster-scoped. */
  public String display() {
    return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
  }
}
