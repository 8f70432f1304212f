package dev.k3sbox.helm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import org.junit.jupiter.api.Test;

class ObjectRefTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void shouldRoundTripThroughTheInventoryJsonWithOnlyItsFourFields() throws Exception {
    // Given
    ObjectRef ref = new ObjectRef("v1", "Namespace", null, "apps");

    // When
    String json = mapper.writeValueAsString(ref);

    // Then
    assertThat(json)
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"namespace\":null,\"name\":\"apps\"}");
    assertThat(mapper.readValue(json, ObjectRef.class)).isEqualTo(ref);
    assertThat(ref.isNamespace()).isTrue();
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
