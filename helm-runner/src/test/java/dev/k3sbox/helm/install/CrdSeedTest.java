package dev.k3sbox.helm.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdSeedTest {
  private static final String MANIFEST =
      """
      ---
      # Source: app/crds/widgets.yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
        annotations: {b: "2", a: "1"}
      spec: {group: example.com, scope: Namespaced}
      ---
      # Source: app/templates/crd.yaml
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: gadgets.example.com}
      ---
      # Source: app/templates/cm.yaml
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: c}
      """;

  @Test
  void shouldHoldOnlyTheCrdsFolderAndComeBackAsTheSameObjects() throws Exception {
    // Given
    List<ManifestObject> objects = new ManifestParser().parse(MANIFEST, "app");
    CrdSeed seed = CrdSeed.of(objects);

    // When
    CrdSeed read = new CrdSeed(new String(seed.json().toCharArray()));

    // Then: the crds/ CRD alone, its source kept (an install tells it by that), equal digests
    assertThat(read.objects())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.fromCrdsFolder()).isTrue();
              assertThat(o.source()).isEqualTo("app/crds/widgets.yaml");
              assertThat(o.resource()).isEqualTo(objects.get(0).resource());
            });
    assertThat(read.digest()).isEqualTo(seed.digest());
  }

  @Test
  void shouldGiveEqualDigestsForEqualCrdsParsedApartAndOthersForAnyChange() {
    // Given
    String changed = MANIFEST.replace("scope: Namespaced", "scope: Cluster");

    // When
    String once = CrdSeed.of(new ManifestParser().parse(MANIFEST, "app")).digest();
    String again = CrdSeed.of(new ManifestParser().parse(MANIFEST, "app")).digest();
    String other = CrdSeed.of(new ManifestParser().parse(changed, "app")).digest();
    CrdSeed none =
        CrdSeed.of(
            new ManifestParser()
                .parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "app"));

    // Then
    assertThat(again).isEqualTo(once);
    assertThat(other).isNotEqualTo(once);
    assertThat(none.isEmpty()).isTrue();
  }
}
