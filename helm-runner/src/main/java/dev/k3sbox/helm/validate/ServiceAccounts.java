package dev.k3sbox.helm.validate;

import dev.k3sbox.helm.parse.ManifestObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ServiceAccounts a chart's bare Pods run as. The API server's ServiceAccount admission refuses
 * a Pod whose account does not exist yet, even in a dry run, so a chart that brings both (a test
 * Pod and its account, say) would be falsely rejected: those accounts are made first, in the
 * scratch scope. Pods of Deployments and Jobs are not checked at admission of their owner.
 */
final class ServiceAccounts {
  private ServiceAccounts() {}

  /** {@code namespace/name} of each account a Pod of {@code objects} names. */
  static Set<String> namedByPods(List<ManifestObject> objects, String releaseNamespace) {
    Set<String> accounts = new HashSet<>();
    for (ManifestObject o : objects) {
      if (!"Pod".equals(o.kind()) || !"v1".equals(o.apiVersion())) {
        continue;
      }
      Object spec = o.resource().getAdditionalProperties().get("spec");
      if (spec instanceof Map<?, ?> m) {
        Object name = m.get("serviceAccountName");
        if (name == null) {
          name = m.get("serviceAccount");
        }
        if (name != null) {
          accounts.add(namespaceOf(o, releaseNamespace) + "/" + name);
        }
      }
    }
    return accounts;
  }

  static boolean isOneOf(ManifestObject o, String releaseNamespace, Set<String> accounts) {
    return "ServiceAccount".equals(o.kind())
        && "v1".equals(o.apiVersion())
        && accounts.contains(namespaceOf(o, releaseNamespace) + "/" + o.name());
  }

  private static String namespaceOf(ManifestObject o, String releaseNamespace) {
    return o.namespace() == null || o.namespace().isBlank() ? releaseNamespace : o.namespace();
  }
}
