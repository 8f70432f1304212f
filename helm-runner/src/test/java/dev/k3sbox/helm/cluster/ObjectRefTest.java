package dev.k3sbox.helm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class ObjectRefTest {
  // The inventory's serialization: the fabric8 client's own.
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  @Test
  void shouldRoundTripThroughTheInventoryJsonWithOnlyItsFourFields() throws Exception {
    // Given
    ObjectRef ref = new ObjectRef("v1", "Namespace", null, "apps");

    // When
    String json = serialization.asJson(ref);

    // Then
    assertThat(json).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"name\":\"apps\"}");
    assertThat(serialization.unmarshal(json, ObjectRef.class)).isEqualTo(ref);
    assertThat(ref.isNamespace()).isTrue();
  }

  @Test
  void shouldReadInventoriesThatEarlierVersionsWroteWithAnExplicitNullNamespace() {
    // Given: Jackson 2's form, written before the inventory moved to fabric8's serialization
    String json =
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"namespace\":null,\"name\":\"apps\"}";

    // When / Then
    assertThat(serialization.unmarshal(json, ObjectRef.class))
        .isEqualTo(new ObjectRef("v1", "Namespace", null, "apps"));
  }

  @Test
  void shouldDisplayClusterScopedObjectsWithoutNamespace() {
    assertThat(new ObjectRef("v1", "ConfigMap", "ns", "a").display()).isEqualTo("ConfigMap/ns/a");
    assertThat(
            new ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "w.x")
                .display())
        .isEqualTo("CustomResourceDefinition/w.x");
  }

  @Test
  void shouldNameAChartObjectByTheNamespaceItIsSentTo() {
    // Given
    ManifestObject object =
        new ManifestParser()
            .parse("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n", "demo")
            .get(0);

    // When
    ObjectRef ref = ObjectRef.of(object, "apps");

    // Then
    assertThat(ref).isEqualTo(new ObjectRef("apps/v1", "Deployment", "apps", "web"));
  }
}
