package dev.k3sbox.core.image;

import static dev.k3sbox.core.image.ListedImages.STANDIN_LABELS;
import static dev.k3sbox.core.image.ListedImages.summary;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageCatalogTest {
  @Test
  void shouldOrderTheListingAsUpPrefersIt() {
    // Given: newest first in the listing, and an image k3sbox cannot run
    var listed =
        List.of(
            summary("k3sbox/busybox:local", Map.of(), 600),
            summary(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS, 500),
            summary("rancher/k3s:v1.34.1-k3s1", Map.of(), 400),
            summary("k3sbox/k3s:v1.33.10-k3s1", Map.of(), 300),
            summary("k3sbox/k3s:v1.33.9-k3s1", Map.of(), 200),
            summary(ImageCatalog.RANCHER_PINNED, Map.of(), 100));

    // When
    List<ImageCatalog.KnownImage> known = ImageCatalog.runnable(listed);

    // Then
    assertThat(known)
        .extracting(ImageCatalog.KnownImage::reference)
        .containsExactly(
            ImageCatalog.RANCHER_PINNED,
            "rancher/k3s:v1.34.1-k3s1",
            "k3sbox/k3s:v1.33.10-k3s1",
            "k3sbox/k3s:v1.33.9-k3s1",
            ImageCatalog.STANDIN_IMAGE);
  }

  @Test
  void shouldPreferTheDefaultStandinToANewerOneOfAnotherVersion() {
    // Given: a matrix built 1.37 after the default
    var listed =
        List.of(
            summary("k3sbox/controlplane-standin:v1.37.2", STANDIN_LABELS, 900),
            summary(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS, 500));

    // When
    List<ImageCatalog.KnownImage> known = ImageCatalog.runnable(listed);

    // Then: a plain `up` keeps running the default version
    assertThat(known)
        .extracting(ImageCatalog.KnownImage::reference)
        .containsExactly(ImageCatalog.STANDIN_IMAGE, "k3sbox/controlplane-standin:v1.37.2");
  }

  @Test
  void shouldReadThePrivilegeLabelFromTheListingWithoutAnInspect() {
    // Given
    var listed =
        List.of(
            summary(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS, 200),
            summary(ImageCatalog.RANCHER_PINNED, Map.of(), 100));

    // When
    List<ServerImage> servers =
        ImageCatalog.runnable(listed).stream().map(ImageCatalog.KnownImage::serverImage).toList();

    // Then
    assertThat(servers)
        .containsExactly(
            new ServerImage(ImageCatalog.RANCHER_PINNED, false, ServerImage.K3S),
            new ServerImage(ImageCatalog.STANDIN_IMAGE, true, ServerImage.STANDIN));
  }
}
