package dev.k3sbox.helm.install;

import dev.k3sbox.helm.cluster.ObjectRef;
import java.util.Map;

/**
 * What {@code install --wait} waits for on one object, told by group and kind together: a CRD's own
 * kind may be called {@code Service} or {@code Deployment}, and fabric8's typed waits would then
 * look up an object of the built-in kind that does not exist.
 */
enum Readiness {
  ESTABLISHED,
  ACTIVE,
  CLUSTER_IP,
  /** Pods behind it: ready only where the cluster has nodes. */
  WORKLOAD,
  NONE;

  private static final Map<String, Readiness> BUILT_IN =
      Map.of(
          "v1/Service", CLUSTER_IP,
          "v1/Pod", WORKLOAD,
          "apps/v1/Deployment", WORKLOAD,
          "apps/v1/StatefulSet", WORKLOAD,
          "apps/v1/DaemonSet", WORKLOAD,
          "apps/v1/ReplicaSet", WORKLOAD,
          "batch/v1/Job", WORKLOAD,
          "batch/v1/CronJob", WORKLOAD);

  static Readiness of(ObjectRef ref) {
    if (ref.isCrd()) {
      return ESTABLISHED;
    }
    if (ref.isNamespace()) {
      return ACTIVE;
    }
    return BUILT_IN.getOrDefault(ref.apiVersion() + "/" + ref.kind(), NONE);
  }
}
