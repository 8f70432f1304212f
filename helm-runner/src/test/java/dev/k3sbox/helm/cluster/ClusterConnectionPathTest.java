package dev.k3sbox.helm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterConnectionPathTest {
  private static final ResourceType CONFIG_MAP =
      new ResourceType("", "v1", "ConfigMap", "configmaps", true);
  private static final ResourceType CRD =
      new ResourceType(
          "apiextensions.k8s.io",
          "v1",
          "CustomResourceDefinition",
          "customresourcedefinitions",
          false);

  @Test
  void shouldBuildCorePathsWithTheNamespace() {
    assertThat(ClusterConnection.path(CONFIG_MAP, "team-a", "settings"))
        .isEqualTo("/api/v1/namespaces/team-a/configmaps/settings");
  }

  @Test
  void shouldLeaveTheNamespaceOutForClusterScopedKinds() {
    assertThat(ClusterConnection.path(CRD, "ignored", "widgets.example.com"))
        .isEqualTo("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
  }

  @Test
  void shouldPercentEncodeNamesSoInvalidOnesStillReachTheServer() {
    assertThat(ClusterConnection.path(CONFIG_MAP, "default", "Bad Name/ü?"))
        .isEqualTo("/api/v1/namespaces/default/configmaps/Bad%20Name%2F%C3%BC%3F");
  }
}
