package dev.k3sbox.helm.cluster;

import dev.k3sbox.helm.parse.ManifestObject;
import java.util.List;

/**
 * The release namespace, where Helm puts a chart's namespaced objects that name none. Validation
 * and install both need it before they send anything; they differ, on purpose, in how they make it
 * when it is missing (a scratch namespace deleted afterwards, or one kept only with {@code
 * --create-namespace}).
 */
public final class ReleaseNamespace {
  private ReleaseNamespace() {}

  /** Whether {@code namespace} is neither among the chart's {@code objects} nor in the cluster. */
  public static boolean isMissing(
      ClusterConnection connection, String namespace, List<ManifestObject> objects) {
    return !createdByChart(namespace, objects)
        && connection.client().namespaces().withName(namespace).get() == null;
  }

  /** The chart brings the Namespace itself: it is applied first, before anything goes into it. */
  static boolean createdByChart(String namespace, List<ManifestObject> objects) {
    return objects.stream().anyMatch(o -> o.isNamespace() && namespace.equals(o.name()));
  }
}
