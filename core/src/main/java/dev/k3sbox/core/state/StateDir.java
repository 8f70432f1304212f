package dev.k3sbox.core.state;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * k3sbox's own directory: {@code $K3SBOX_HOME}, else {@code $HOME/.k3sbox}. It holds one folder per
 * cluster (its kubeconfig and state file), the lock files, the log of a dockerd that k3sbox
 * started, and a cache. Created 0700: it holds credentials.
 */
public record StateDir(Path root) {

  public static StateDir fromEnvironment() {
    String override = System.getenv("K3SBOX_HOME");
    if (override != null && !override.isBlank()) {
      return new StateDir(Path.of(override).toAbsolutePath());
    }
    return new StateDir(UserHome.get().resolve(".k3sbox"));
  }

  /** One folder per cluster, named after it. */
  public Path clusters() {
    return root.resolve("clusters");
  }

  public Path cluster(String name) {
    return clusters().resolve(name);
  }

  public Path kubeconfig(String name) {
    return cluster(name).resolve("kubeconfig.yaml");
  }

  public Path lockFile(String name) {
    return root.resolve("locks").resolve(name + ".lock");
  }

  /** Locks cluster {@code name} against other k3sbox processes (see {@link ProcessLock}). */
  public ProcessLock lockCluster(String name, Progress progress) {
    Path file = lockFile(name);
    ensure(file.getParent());
    return ProcessLock.acquire(file, progress, "working on cluster " + name);
  }

  /**
   * Locks {@code what} (a lock file of its own, not a cluster's) if no other k3sbox process holds
   * it; empty if one does.
   */
  public Optional<ProcessLock> tryLock(String what) {
    Path file = lockFile(what);
    ensure(file.getParent());
    return ProcessLock.tryAcquire(file);
  }

  public Path dockerd() {
    return root.resolve("dockerd");
  }

  public Path build() {
    return root.resolve("build");
  }

  /** Files kept to save time, safe to delete: today Helm's native library, extracted once. */
  public Path cache() {
    return root.resolve("cache");
  }

  /** Creates {@code dir} (and missing parents under the root) with owner-only access. */
  public Path ensure(Path dir) {
    try {
      Files.createDirectories(dir);
      for (Path p = dir; p != null && p.startsWith(root); p = p.getParent()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
      }
      return dir;
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.USAGE,
          "cannot create "
              + dir
              + " ("
              + e.getMessage()
              + "); set K3SBOX_HOME to a writable folder",
          e);
    }
  }
}
