package dev.k3sbox.core.image;

import static dev.k3sbox.core.image.ListedImages.STANDIN_LABELS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.RecordedProgress;
import dev.k3sbox.core.engine.FakeImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which image {@code up} runs, against an engine's images in memory. */
class ImageResolverTest {
  private final FakeImages images = new FakeImages();
  private final RecordedProgress progress = new RecordedProgress();
  private final List<String> said = progress.said;
  private final Builds builds = new Builds();
  private final ImageResolver resolver = new ImageResolver(images, progress);

  @Test
  void shouldRunARequestedImageThatIsHereWithoutAskingARegistry() {
    // Given
    images.add("registry.local/k3s:v1.33.5-k3s1", Map.of());

    // When
    ServerImage image = resolver.resolve(Optional.of("registry.local/k3s:v1.33.5-k3s1"));

    // Then
    assertThat(image)
        .isEqualTo(new ServerImage("registry.local/k3s:v1.33.5-k3s1", false, ServerImage.K3S));
    assertThat(images.requests).noneMatch(r -> r.startsWith("pull"));
  }

  @Test
  void shouldPullARequestedImageThatIsMissing() {
    // Given
    images.registry.put("rancher/k3s:v1.34.1-k3s1", Map.of());

    // When
    ServerImage image = resolver.resolve(Optional.of("rancher/k3s:v1.34.1-k3s1"));

    // Then
    assertThat(image.name()).isEqualTo("rancher/k3s:v1.34.1-k3s1");
    assertThat(said).contains("pulling rancher/k3s:v1.34.1-k3s1 (up to 120s)");
  }

  @Test
  void shouldRefuseARequestedImageThatCannotBePulledInTheDaemonsWords() {
    // Given: a machine that could build the stand-in, which was not asked for
    resolver.buildingStandinWith(builds);

    // Then
    assertThatThrownBy(() -> resolver.resolve(Optional.of("nosuch/k3s:v1")))
        .isInstanceOfSatisfying(
            K3sboxException.class, e -> assertThat(e.failure()).isEqualTo(Failure.IMAGE))
        .hasMessage(
            "image nosuch/k3s:v1 is not on this Docker daemon and cannot be pulled; "
                + ImageResolver.howToMake());
    assertThat(said)
        .contains(
            "cannot pull nosuch/k3s:v1: pull access denied for nosuch/k3s:v1, repository does"
                + " not exist or may require 'docker login'");
    assertThat(builds.built).isEmpty();
  }

  @Test
  void shouldRunTheBestLocalImageBeforeAskingARegistry() {
    // Given
    images.add(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS);
    images.add("k3sbox/k3s:v1.33.10-k3s1", Map.of(Labels.IMAGE_FLAVOR, "k3s"));

    // When
    ServerImage image = resolver.resolve(Optional.empty());

    // Then
    assertThat(image).isEqualTo(new ServerImage("k3sbox/k3s:v1.33.10-k3s1", false, "k3s"));
    assertThat(images.requests).containsExactly("list");
    assertThat(said).isEmpty();
  }

  @Test
  void shouldWarnThatTheStandinIsNotK3sWhenItIsAllThereIs() {
    // Given
    images.add(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS);

    // When
    ServerImage image = resolver.resolve(Optional.empty());

    // Then
    assertThat(image)
        .isEqualTo(new ServerImage(ImageCatalog.STANDIN_IMAGE, true, ServerImage.STANDIN));
    assertThat(said)
        .singleElement()
        .asString()
        .startsWith("warning: no k3s image here; using the control-plane stand-in");
  }

  @Test
  void shouldPullThePinnedImageWhenNoneIsHere() {
    // Given
    images.registry.put(ImageCatalog.RANCHER_PINNED, Map.of());
    resolver.buildingStandinWith(builds);

    // When
    ServerImage image = resolver.resolve(Optional.empty());

    // Then
    assertThat(image.name()).isEqualTo(ImageCatalog.RANCHER_PINNED);
    assertThat(builds.built).isEmpty();
  }

  @Test
  void shouldBuildTheDefaultStandinWhenNothingCanBePulledAndBuildingIsAllowed() {
    // Given
    resolver.buildingStandinWith(builds);

    // When
    ServerImage image = resolver.resolve(Optional.empty());

    // Then
    assertThat(image)
        .isEqualTo(new ServerImage(ImageCatalog.STANDIN_IMAGE, true, ServerImage.STANDIN));
    assertThat(builds.built).containsExactly(KubernetesVersion.DEFAULT);
    assertThat(said).anyMatch(s -> s.startsWith("cannot pull " + ImageCatalog.RANCHER_PINNED));
    assertThat(said)
        .anyMatch(s -> s.startsWith("warning: no k3s image here and none can be pulled: building"));
  }

  @Test
  void shouldBuildTheStandinWhenTheRegistryDoesNotAnswerInTime() {
    // Given: an offline machine, where a pull hangs
    images.registryHangs = true;
    resolver.buildingStandinWith(builds);

    // When
    ServerImage image = resolver.resolve(Optional.empty());

    // Then
    assertThat(image.name()).isEqualTo(ImageCatalog.STANDIN_IMAGE);
  }

  @Test
  void shouldSayHowToMakeAnImageWhenBuildingIsNotAllowed() {
    // Given: `up --no-build`, nothing here, nothing to pull

    // Then
    assertThatThrownBy(() -> resolver.resolve(Optional.empty()))
        .isInstanceOfSatisfying(
            K3sboxException.class, e -> assertThat(e.failure()).isEqualTo(Failure.IMAGE))
        .hasMessage(
            "no k3s image on this machine and none can be pulled; " + ImageResolver.howToMake());
  }

  @Test
  void shouldSayHowToMakeAnImageWhenGoIsMissing() {
    // Given
    builds.possible = false;
    resolver.buildingStandinWith(builds);

    // Then
    assertThatThrownBy(() -> resolver.resolve(Optional.empty()))
        .hasMessageStartingWith("no k3s image on this machine and none can be pulled");
    assertThat(builds.built).isEmpty();
  }

  @Test
  void shouldRunALocalImageOfTheAskedMinorTheAskedPatchFirst() {
    // Given
    images.add("k3sbox/controlplane-standin:v1.36.1", STANDIN_LABELS);
    images.add("k3sbox/controlplane-standin:v1.36.3", STANDIN_LABELS);
    resolver.buildingStandinWith(builds);

    // When
    ServerImage image =
        resolver.resolve(Optional.empty(), Optional.of(KubernetesVersion.parse("v1.36.1")));

    // Then
    assertThat(image.name()).isEqualTo("k3sbox/controlplane-standin:v1.36.1");
    assertThat(builds.built).isEmpty();
  }

  @Test
  void shouldBuildTheAskedVersionWithoutAskingARegistry() {
    // Given: a default stand-in, but not of the asked minor
    images.add(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS);
    resolver.buildingStandinWith(builds);

    // When
    ServerImage image =
        resolver.resolve(Optional.empty(), Optional.of(KubernetesVersion.parse("1.37")));

    // Then
    assertThat(image.name()).isEqualTo("k3sbox/controlplane-standin:v1.37.2");
    assertThat(builds.built).containsExactly(KubernetesVersion.parse("1.37"));
    assertThat(images.requests).noneMatch(r -> r.startsWith("pull"));
  }

  @Test
  void shouldRefuseTheAskedVersionWhenItCannotBeBuilt() {
    assertThatThrownBy(
            () -> resolver.resolve(Optional.empty(), Optional.of(KubernetesVersion.parse("1.37"))))
        .isInstanceOfSatisfying(
            K3sboxException.class, e -> assertThat(e.failure()).isEqualTo(Failure.IMAGE))
        .hasMessage(
            "no server image of Kubernetes 1.37 on this machine; make one with"
                + " `k3sbox image build --standin --kubernetes-version 1.37` (needs Go 1.25+)");
  }

  /** Stand-in builds that put the image in the fake engine at once. */
  private final class Builds implements StandinBuilds {
    boolean possible = true;
    final List<KubernetesVersion> built = new ArrayList<>();

    @Override
    public boolean possible() {
      return possible;
    }

    @Override
    public String build(KubernetesVersion version) {
      built.add(version);
      String tag = ImageCatalog.standinImage(version);
      images.add(tag, STANDIN_LABELS);
      return tag;
    }
  }
}
