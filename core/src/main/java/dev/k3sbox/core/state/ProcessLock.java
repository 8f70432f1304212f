package dev.k3sbox.core.state;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A lock between k3sbox processes on a file of the state dir: one per cluster name (held around
 * create, start, repair and delete, so two {@code up}s of one name make one cluster) and one per
 * image build folder (so two {@code up}s on a fresh machine build the image once). An OS lock,
 * which the kernel releases when its holder exits however it exits, even by SIGKILL, so a crash
 * never leaves it stuck. The file itself stays (it is empty): removing it would race with a process
 * about to lock it.
 */
public final class ProcessLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;
  private final boolean waited;

  private ProcessLock(FileChannel channel, FileLock lock, boolean waited) {
    this.channel = channel;
    this.lock = lock;
    this.waited = waited;
  }

  /**
   * Takes the lock on {@code file} (its folder must exist: {@link StateDir#ensure} makes it
   * private), waiting while another process holds it and saying so: "waiting for another k3sbox run
   * {@code holding}".
   */
  public static ProcessLock acquire(Path file, Progress progress, String holding) {
    return lock(
            file,
            channel -> {
              progress.step("waiting for another k3sbox run " + holding);
              return new ProcessLock(channel, channel.lock(), true);
            })
        .orElseThrow();
  }

  /** Takes the lock on {@code file} if no other process holds it; empty if one does. */
  public static Optional<ProcessLock> tryAcquire(Path file) {
    return lock(file, channel -> null);
  }

  /** What to do when another process holds the lock: wait for it, or give up (null). */
  private interface WhenHeld {
    ProcessLock on(FileChannel channel) throws IOException;
  }

  private static Optional<ProcessLock> lock(Path file, WhenHeld whenHeld) {
    try {
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        FileLock lock = channel.tryLock();
        ProcessLock taken =
            lock != null ? new ProcessLock(channel, lock, false) : whenHeld.on(channel);
        if (taken == null) {
          channel.close();
        }
        return Optional.ofNullable(taken);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.USAGE,
          "cannot lock " + file + ": " + e.getMessage() + "; check K3SBOX_HOME is writable",
          e);
    }
  }

  /** Whether another process held the lock first (what it made may now be there). */
  public boolean waited() {
    return waited;
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // Closing the channel releases the lock in any case; nothing to undo.
    }
  }
}
