package dev.k3sbox.core.kubeconfig;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.state.ClientGoLock;
import dev.k3sbox.core.state.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A kubeconfig on disk, changed as kubectl changes it: under client-go's lock file, so that
 * concurrent {@code up}s and kubectls do not lose each other's entries, and replaced atomically
 * with an owner-only file, so that a crash never leaves half a kubeconfig and credentials are never
 * readable by others.
 */
final class KubeconfigFile {
  private static final Duration LOCK_WAIT = Duration.ofSeconds(30);
  private static final Duration LOCK_STALE = Duration.ofMinutes(2);

  private KubeconfigFile() {}

  /**
   * Reads {@code file} (empty when missing), applies {@code edit} and writes the result back if it
   * differs or the file is new. An edit that throws leaves the file as it was.
   */
  static void edit(Path file, UnaryOperator<String> edit) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (AutoCloseable lock = ClientGoLock.take(file, LOCK_WAIT, LOCK_STALE)) {
        String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        String after = edit.apply(before);
        if (!after.equals(before) || !Files.exists(file)) {
          SecureFiles.writeAtomically(file, after);
        }
      }
    } catch (K3sboxException e) {
      throw e;
    } catch (Exception e) {
      throw new K3sboxException(
          Failure.KUBECONFIG,
          "cannot update kubeconfig "
              + file
              + ": "
              + e.getMessage()
              + "; pass --no-merge to skip it",
          e);
    }
  }

  /** Follows a symlinked kubeconfig to the file kubectl would write. */
  static Path resolve(Path p) {
    try {
      return Files.exists(p) ? p.toRealPath() : p.toAbsolutePath();
    } catch (IOException e) {
      return p.toAbsolutePath();
    }
  }
}
