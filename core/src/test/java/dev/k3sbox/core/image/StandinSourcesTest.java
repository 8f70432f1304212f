package dev.k3sbox.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StandinSourcesTest {
  /** The stand-in's sources in the checkout, as the jar ships them. */
  private static final Path CONTROLPLANE = Path.of("../images/controlplane");

  @Test
  void shouldShipTheDefaultVersionAsItIs() {
    // When
    Map<String, byte[]> sources = StandinSources.of(KubernetesVersion.DEFAULT);

    // Then
    assertThat(sources).containsKeys("go.mod", "go.sum", "main.go");
    assertThat(text(sources, "go.mod")).contains("k8s.io/kubernetes v1.35.4");
  }

  @Test
  void shouldMoveKubernetesAndEveryStagingModuleTogether() {
    // When
    Map<String, byte[]> sources = StandinSources.of(KubernetesVersion.parse("1.37"));

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
    assertThat(StandinSources.of(KubernetesVersion.parse("1.34")).get("go.mod"))
        .isNotEqualTo(StandinSources.of(KubernetesVersion.parse("1.36")).get("go.mod"));
  }

  @Test
  void shouldStampTheVersionsMinorIntoTheBinary() {
    assertThat(StandinBuild.versionFlags("v1.37.2+k3sbox", KubernetesVersion.parse("1.37")))
        .contains("k8s.io/component-base/version.gitMinor=37")
        .contains("k8s.io/component-base/version.gitVersion=v1.37.2+k3sbox");
  }

  @Test
  void shouldBuildFromExactlyTheFilesThatFilesNamesAndNoGoTest() throws IOException {
    // Given: FILES of the checkout
    List<String> listed =
        Files.readAllLines(CONTROLPLANE.resolve("FILES")).stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();

    // When
    Map<String, byte[]> sources = StandinSources.of(KubernetesVersion.DEFAULT);

    // Then: the image's digest covers what FILES names, never a Go test beside them
    assertThat(sources.keySet()).containsExactlyElementsOf(listed);
    assertThat(listed).noneMatch(name -> name.endsWith("_test.go"));
  }

  @Test
  void shouldKeepTheDigestWhenGoTestsAreAddedBesideTheSources() {
    // Given: the same sources, once with a Go test in the folder (FILES does not name it)
    Map<String, String> folder =
        Map.of("FILES", "go.mod\nmain.go\n", "go.mod", "module x\n", "main.go", "package main\n");
    Map<String, String> withTest = new java.util.HashMap<>(folder);
    withTest.put("main_test.go", "package main\n");
    List<String> read = new ArrayList<>();
    Function<String, String> reading =
        name -> {
          read.add(name);
          return withTest.get(name);
        };

    // When
    String before = SourceDigest.of(StandinSources.of(KubernetesVersion.DEFAULT, folder::get));
    String after = SourceDigest.of(StandinSources.of(KubernetesVersion.DEFAULT, reading));

    // Then: the image built before is still up to date
    assertThat(after).isEqualTo(before);
    assertThat(read).doesNotContain("main_test.go");
  }

  private static String text(Map<String, byte[]> sources, String name) {
    return new String(sources.get(name), StandardCharsets.UTF_8);
  }
}
