package dev.k3sbox.helm.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.helm.render.RenderedChart;
import org.junit.jupiter.api.Test;

class CrdSeedTest {
  private static final String CRDS =
      """
      ---
      # Source: app/crds/widgets.yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
      spec: {group: example.com, scope: Namespaced}
      ---
      # Source: app/charts/sub/crds/gadgets.yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: gadgets.example.com}
      """;

  @Test
  void shouldGiveTheCrdsBackAsObjectsOfCrdsFolders() {
    // Given
    CrdSeed seed = CrdSeed.of(chart(CRDS));

    // When / Then: each with its own source, which is how an install tells a crds/ CRD
    assertThat(seed.isEmpty()).isFalse();
    assertThat(seed.objects())
        .extracting(o -> o.name() + " " + o.source() + " " + o.fromCrdsFolder())
        .containsExactly(
            "widgets.example.com app/crds/widgets.yaml true",
            "gadgets.example.com app/charts/sub/crds/gadgets.yaml true");
  }

  @Test
  void shouldGiveEqualDigestsForEqualCrdsAndOthersForAnyChange() {
    // When
    String once = CrdSeed.of(chart(CRDS)).digest();
    String again = new CrdSeed(CrdSeed.of(chart(CRDS)).text()).digest();
    String other = CrdSeed.of(chart(CRDS.replace("Namespaced", "Cluster"))).digest();

    // Then
    assertThat(again).isEqualTo(once);
    assertThat(other).isNotEqualTo(once);
    assertThat(CrdSeed.of(chart("")).isEmpty()).isTrue();
    assertThat(CrdSeed.none().isEmpty()).isTrue();
  }

  private static RenderedChart chart(String crds) {
    return new RenderedChart("app", "app", "default", "", crds);
  }
}
