package dev.k3sbox.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandinSourcesTest {
  @Test
  void shouldShipTheDefaultVersionAsItIs() {
    // When
    Map<String, byte[]> sources = ImageBuilder.standinSources(KubernetesVersion.DEFAULT);

    // Then
    assertThat(sources).containsKeys("go.mod", "go.sum", "main.go");
    assertThat(text(sources, "go.mod")).contains("k8s.io/kubernetes v1.35.4");
  }

  @Test
  void shouldMoveKubernetesAndEveryStagingModuleTogether() {
    // When
    Map<String, byte[]> sources = ImageBuilder.standinSources(KubernetesVersion.parse("1.37"));

    // Then: go.sum is left to Go, go.mod names 1.37's modules only
    String goMod = text(sources, "go.mod");
    assertThat(sources).doesNotContainKey("go.sum").containsKey("main.go");
    assertThat(goMod)
        .contains("k8s.io/kubernetes v1.37.2")
        .contains("k8s.io/api => k8s.io/api v0.37.2")
        .contains("k8s.io/component-base v0.37.2")
        .doesNotContain("v0.35.4")
        .doesNotContain("v1.35.4");
  }

  @Test
  void shouldTellVersionsApartByDigestOfTheirSources() {
    assertThat(ImageBuilder.standinSources(KubernetesVersion.parse("1.34")).get("go.mod"))
        .isNotEqualTo(ImageBuilder.standinSources(KubernetesVersion.parse("1.36")).get("go.mod"));
  }

  @Test
  void shouldStampTheVersionsMinorIntoTheBinary() {
    assertThat(ImageBuilder.versionFlags("v1.37.2+k3sbox", KubernetesVersion.parse("1.37")))
        .contains("k8s.io/component-base/version.gitMinor=37")
        .contains("k8s.io/component-base/version.gitVersion=v1.37.2+k3sbox");
  }

  private static String text(Map<String, byte[]> sources, String name) {
    return new String(sources.get(name), StandardCharsets.UTF_8);
  }
}
