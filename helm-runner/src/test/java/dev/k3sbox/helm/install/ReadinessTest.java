package dev.k3sbox.helm.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.helm.cluster.ObjectRef;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  @Test
  void shouldWaitForBuiltInKindsByGroupAndKind() {
    assertThat(Readiness.of(ref("v1", "Namespace"))).isEqualTo(Readiness.ACTIVE);
    assertThat(Readiness.of(ref("v1", "Service"))).isEqualTo(Readiness.CLUSTER_IP);
    assertThat(Readiness.of(ref("apps/v1", "Deployment"))).isEqualTo(Readiness.WORKLOAD);
    assertThat(Readiness.of(ref("batch/v1", "CronJob"))).isEqualTo(Readiness.WORKLOAD);
    assertThat(Readiness.of(ref("apiextensions.k8s.io/v1", "CustomResourceDefinition")))
        .isEqualTo(Readiness.ESTABLISHED);
  }

  @Test
  void shouldNotTakeACustomKindForTheBuiltInOfTheSameName() {
    assertThat(Readiness.of(ref("mesh.example.com/v1", "Service"))).isEqualTo(Readiness.NONE);
    assertThat(Readiness.of(ref("tenancy.example.com/v1", "Namespace"))).isEqualTo(Readiness.NONE);
    assertThat(Readiness.of(ref("rollouts.example.com/v1", "Deployment")))
        .isEqualTo(Readiness.NONE);
  }

  @Test
  void shouldWaitForNothingOnPlainConfiguration() {
    assertThat(Readiness.of(ref("v1", "ConfigMap"))).isEqualTo(Readiness.NONE);
  }

  private static ObjectRef ref(String apiVersion, String kind) {
    return new ObjectRef(apiVersion, kind, "default", "x");
  }
}
