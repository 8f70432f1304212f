package dev.k3sbox.core.kubeconfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Writes credential files the safe way: a temporary file in the same directory created 0600 (so no
 * umask can widen it), fsynced, then renamed over the target, so a reader sees the old file or the
 * new one and never half of either.
 */
public final class SecureFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_ATTR =
      PosixFilePermissions.asFileAttribute(OWNER_ONLY);

  private SecureFiles() {}

  public static void writeAtomically(Path target, String content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              OWNER_ONLY_ATTR)) {
        ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.setPosixFilePermissions(tmp, OWNER_ONLY);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Holds {@code <file>.lock} the way client-go does (created exclusively, deleted after), so
   * kubectl and k3sbox never write one kubeconfig at the same time. A lock older than {@code
   * staleAfter} was left by a killed process and is taken over.
   */
  public static AutoCloseable lockLikeClientGo(Path file, Duration wait, Duration staleAfter)
      throws IOException {
    Path lock = file.resolveSibling(file.getFileName() + ".lock");
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        Files.createFile(lock, OWNER_ONLY_ATTR);
        return () -> Files.deleteIfExists(lock);
      } catch (FileAlreadyExistsException e) {
        if (isStale(lock, staleAfter)) {
          Files.deleteIfExists(lock);
          continue;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              lock + " is held by another writer; if no kubectl or k3sbox is running, delete it");
        }
        try {
          Thread.sleep(25); // a short back-off between exclusive-create attempts
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted waiting for " + lock, ie);
        }
      }
    }
  }

  private static boolean isStale(Path lock, Duration staleAfter) {
    try {
      Instant modified = Files.getLastModifiedTime(lock).toInstant();
      return modified.plus(staleAfter).isBefore(Instant.now());
    } catch (IOException e) {
      return false; // gone already: the next create will tell
    }
  }
}
