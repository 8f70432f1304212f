package dev.k3sbox.core.image;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A k3s binary on this machine. Its version names the image's tag and fills the image's version
 * label: {@code k3s --version} runs once, when first needed, and not at all when an image under a
 * given tag is reused.
 */
final class K3sBinary {
  private final Path path;
  private String version;

  K3sBinary(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  /** "k3s version v1.33.5+k3s1 (abc)" → "v1.33.5+k3s1". */
  String version() {
    if (version == null) {
      version = askVersion();
    }
    return version;
  }

  private String askVersion() {
    try {
      Process p =
          new ProcessBuilder(path.toAbsolutePath().toString(), "--version")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      String[] words = out.lines().findFirst().orElse("").split("\\s+");
      if (words.length >= 3 && words[1].equals("version")) {
        return words[2];
      }
      throw new K3sboxException(
          Failure.USAGE, path + " --version did not print a k3s version; is it a k3s binary?");
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.USAGE, "cannot run " + path + " --version: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new K3sboxException(Failure.INTERRUPTED, "interrupted");
    }
  }
}
