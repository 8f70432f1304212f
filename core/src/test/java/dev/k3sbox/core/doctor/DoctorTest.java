package dev.k3sbox.core.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Image;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.image.ImageCatalog;
import dev.k3sbox.core.image.ServerImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoctorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldRecommendTheImageUpWouldRun() {
    // Given: the stand-in (newest), a local k3s build and the pinned rancher image
    List<Image> listed =
        List.of(
            image(
                ImageCatalog.STANDIN_IMAGE,
                Map.of(Labels.IMAGE_FLAVOR, "standin", Labels.IMAGE_PRIVILEGE, "none"),
                300),
            image(ImageCatalog.K3S_REPOSITORY + ":v1.33.10-k3s1", Map.of(), 200),
            image(ImageCatalog.RANCHER_PINNED, Map.of(), 100));

    // When
    ServerImage recommended = Doctor.serverImage(listed);

    // Then: ImageCatalog's order, which `up` runs by, puts the pinned rancher image first
    assertThat(recommended).isEqualTo(new ServerImage(ImageCatalog.RANCHER_PINNED, false));
  }

  @Test
  void shouldRecommendTheStandinWithoutPrivilegeWhenItIsTheOnlyServerImage() {
    // Given
    List<Image> listed =
        List.of(
            image("k3sbox/busybox:local", Map.of(), 300),
            image(
                ImageCatalog.STANDIN_IMAGE,
                Map.of(Labels.IMAGE_FLAVOR, "standin", Labels.IMAGE_PRIVILEGE, "none"),
                100));

    // When
    ServerImage recommended = Doctor.serverImage(listed);

    // Then
    assertThat(recommended).isEqualTo(new ServerImage(ImageCatalog.STANDIN_IMAGE, true));
  }

  /** One row of {@code GET /images/json}, as the daemon sends it. */
  private static Image image(String tag, Map<String, String> labels, long created) {
    return JSON.convertValue(
        Map.of("RepoTags", List.of(tag), "Labels", labels, "Created", created, "Size", 1L),
        Image.class);
  }
}
