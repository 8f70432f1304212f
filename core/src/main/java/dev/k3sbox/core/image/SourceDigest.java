package dev.k3sbox.core.image;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.engine.ImageStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The SHA-256 of what an image is built from (source files, a k3s binary), kept in its label {@link
 * Labels#IMAGE_DIGEST}: an image under the same tag with the same digest is up to date, and reused
 * rather than built again (a stand-in build takes minutes).
 */
final class SourceDigest {
  private SourceDigest() {}

  /** The digest of {@code files}, names and contents, in their order. */
  static String of(Map<String, byte[]> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (var e : files.entrySet()) {
        md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        md.update(e.getValue());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the engine has {@code tag}, built from what has {@code digest}. */
  static boolean upToDate(ImageStore images, String tag, String digest) {
    return images
        .inspect(tag)
        .map(image -> image.labels().get(Labels.IMAGE_DIGEST))
        .filter(digest::equals)
        .isPresent();
  }
}
