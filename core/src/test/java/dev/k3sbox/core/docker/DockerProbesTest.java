package dev.k3sbox.core.docker;

import static dev.k3sbox.core.image.ListedImages.STANDIN_LABELS;
import static dev.k3sbox.core.image.ListedImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k3sbox.core.image.ImageCatalog;
import dev.k3sbox.core.image.ServerImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerProbesTest {
  @Test
  void shouldRecommendTheImageUpWouldRun() {
    // Given: the stand-in (newest), a local k3s build and the pinned rancher image
    List<JsonNode> listed =
        List.of(
            image(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS, 300),
            image(ImageCatalog.K3S_REPOSITORY + ":v1.33.10-k3s1", Map.of(), 200),
            image(ImageCatalog.RANCHER_PINNED, Map.of(), 100));

    // When
    ServerImage recommended = DockerProbes.serverImage(listed);

    // Then: ImageCatalog's order, which `up` runs by, puts the pinned rancher image first
    assertThat(recommended)
        .isEqualTo(new ServerImage(ImageCatalog.RANCHER_PINNED, false, ServerImage.K3S));
  }

  @Test
  void shouldRecommendTheStandinWithoutPrivilegeWhenItIsTheOnlyServerImage() {
    // Given
    List<JsonNode> listed =
        List.of(
            image("k3sbox/busybox:local", Map.of(), 300),
            image(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS, 100));

    // When
    ServerImage recommended = DockerProbes.serverImage(listed);

    // Then
    assertThat(recommended)
        .isEqualTo(new ServerImage(ImageCatalog.STANDIN_IMAGE, true, ServerImage.STANDIN));
  }
}
