package dev.k3sbox.helm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseNamespaceTest {
  private final ManifestParser parser = new ManifestParser();

  @Test
  void shouldCountTheReleaseNamespaceAsCreatedWhenTheChartBringsIt() {
    // Given
    List<ManifestObject> objects =
        parser.parse(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n---\n"
                + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
            "demo");

    // When
    boolean created = ReleaseNamespace.createdByChart("apps", objects);

    // Then
    assertThat(created).isTrue();
  }

  @Test
  void shouldNotCountAnotherNamespaceOrAnObjectOfTheSameNameAndAnotherKind() {
    // Given
    List<ManifestObject> objects =
        parser.parse(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n---\n"
                + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: apps\n---\n"
                + "apiVersion: example.com/v1\nkind: Namespace\nmetadata:\n  name: apps\n",
            "demo");

    // When
    boolean created = ReleaseNamespace.createdByChart("apps", objects);

    // Then
    assertThat(created).isFalse();
  }
}
