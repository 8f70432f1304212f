package dev.k3sbox.core.image;

import static dev.k3sbox.core.image.ListedImages.STANDIN_LABELS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.EngineException;
import dev.k3sbox.core.engine.FakeImages;
import dev.k3sbox.core.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code k3sbox image load} and {@code ls} against an engine's images in memory. */
class LocalImagesTest {
  @TempDir Path home;
  private final FakeImages images = new FakeImages();

  private LocalImages local() {
    return new LocalImages(() -> images, new StateDir(home.resolve("k3sbox")), Progress.NONE);
  }

  @Test
  void shouldSayWhatALoadLoaded() throws Exception {
    // Given
    Path file = Files.writeString(home.resolve("airgap.tar"), "tar");
    images.loads = bytes -> List.of("rancher/k3s:v1.33.5-k3s1");

    // Then
    assertThat(local().load(file)).containsExactly("rancher/k3s:v1.33.5-k3s1");
  }

  @Test
  void shouldRefuseAFileTheDaemonRefusedInItsWords() throws Exception {
    // Given
    Path file = Files.writeString(home.resolve("hostname"), "box\n");
    images.loads =
        bytes -> {
          throw new EngineException(500, "unexpected EOF", null);
        };

    // Then
    assertThatThrownBy(() -> local().load(file))
        .isInstanceOfSatisfying(
            K3sboxException.class, e -> assertThat(e.failure()).isEqualTo(Failure.IMAGE))
        .hasMessage(
            "docker could not load " + file + ": unexpected EOF; is it a `docker save` tarball?");
  }

  @Test
  void shouldRefuseAFileWithNoImageInIt() throws Exception {
    Path file = Files.writeString(home.resolve("empty.tar"), "");

    assertThatThrownBy(() -> local().load(file))
        .hasMessage(
            "docker could not load "
                + file
                + " (it found no image in it); is it a `docker save` tarball?");
  }

  @Test
  void shouldListOnlyWhatK3sboxCanRun() {
    // Given
    images.add("k3sbox/busybox:local", Map.of());
    images.add(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS);

    // Then
    assertThat(local().list())
        .extracting(ImageCatalog.KnownImage::reference)
        .containsExactly(ImageCatalog.STANDIN_IMAGE);
  }
}
