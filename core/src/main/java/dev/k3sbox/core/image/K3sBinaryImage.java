package dev.k3sbox.core.image;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ImageStore;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real k3s's image from a k3s binary on this machine (the user's, or one compiled by {@link
 * K3sCompiler}), laid out as rancher/k3s lays it out ({@link RootFilesystem#K3S_LINKS}, {@link
 * RootFilesystem#K3S_HOST_FILES}). Reused when the tag already holds the same binary.
 */
final class K3sBinaryImage {
  private final ImageStore images;
  private final StateDir stateDir;
  private final Progress progress;

  K3sBinaryImage(ImageStore images, StateDir stateDir, Progress progress) {
    this.images = images;
    this.stateDir = stateDir;
    this.progress = progress;
  }

  /** The default tag of {@code binary}'s image: {@code k3sbox/k3s:v1.33.5-k3s1}. */
  static String tagOf(K3sBinary binary) {
    return ImageCatalog.K3S_REPOSITORY + ":" + dockerTag(binary.version());
  }

  /** Docker tags allow no '+': v1.33.5+k3s1 becomes v1.33.5-k3s1, as rancher/k3s tags it. */
  static String dockerTag(String version) {
    return version.replace('+', '-');
  }

  /**
   * Builds {@code tag} around {@code k3s}, {@code source} saying where the binary came from (its
   * label); true when the tag already held this binary and is reused.
   */
  boolean build(K3sBinary k3s, String tag, String source) {
    Path binary = k3s.path();
    if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
      throw new K3sboxException(
          Failure.USAGE,
          "--from-binary " + binary + " is not an executable file; give the path of a k3s binary");
    }
    String digest;
    try (InputStream in = Files.newInputStream(binary)) {
      digest = SourceDigest.of(Map.of("k3s", in.readAllBytes()));
    } catch (IOException e) {
      throw new K3sboxException(Failure.USAGE, "cannot read " + binary + ": " + e.getMessage(), e);
    }
    if (SourceDigest.upToDate(images, tag, digest)) {
      progress.info(tag + " already holds this binary; reusing it");
      return true;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.IMAGE_FLAVOR, "k3s");
    labels.put(Labels.IMAGE_VERSION, k3s.version());
    labels.put(Labels.IMAGE_SOURCE, source);
    labels.put(Labels.IMAGE_DIGEST, digest);
    new ScratchImage(images, stateDir, progress)
        .build(tag, binary, RootFilesystem.K3S_LINKS, RootFilesystem.K3S_HOST_FILES, labels);
    return false;
  }
}
