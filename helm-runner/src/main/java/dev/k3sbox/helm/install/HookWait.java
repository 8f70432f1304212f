package dev.k3sbox.helm.install;

import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Waits for a hook Job or Pod to end, as Helm does before it goes on. */
final class HookWait {
  private HookWait() {}

  /** "succeeded", "failed" or "did not end within ..." for a hook Job or Pod. */
  static String await(ClusterConnection connection, ObjectRef ref, Duration timeout) {
    var resource = connection.resource(ref);
    if (resource.isEmpty()) {
      return "gone";
    }
    try {
      GenericKubernetesResource done =
          resource
              .get()
              .waitUntilCondition(
                  r -> r == null || outcome(r) != null, timeout.toSeconds(), TimeUnit.SECONDS);
      return done == null ? "deleted while running" : outcome(done);
    } catch (KubernetesClientTimeoutException e) {
      return "did not end within " + timeout.toSeconds() + "s";
    }
  }

  /** The end a Job (condition Complete/Failed) or Pod (phase) reached, or null while it runs. */
  @SuppressWarnings("unchecked")
  static String outcome(GenericKubernetesResource r) {
    Object status = r.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> s)) {
      return null;
    }
    if ("Pod".equals(r.getKind())) {
      Object phase = s.get("phase");
      return "Succeeded".equals(phase) ? "succeeded" : "Failed".equals(phase) ? "failed" : null;
    }
    if (s.get("conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        Map<String, Object> m = (Map<String, Object>) c;
        if ("True".equals(m.get("status"))) {
          if ("Complete".equals(m.get("type"))) {
            return "succeeded";
          }
          if ("Failed".equals(m.get("type"))) {
            return "failed";
          }
        }
      }
    }
    return null;
  }
}
