package dev.k3sbox.core.cluster;

import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A cross-process lock per cluster name, held around create, start, repair and delete, so two
 * {@code up}s of one name make one cluster. The kernel releases it when the process dies, even by
 * SIGKILL, so a crash never leaves it stuck.
 */
final class ClusterLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private ClusterLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static ClusterLock acquire(StateDir stateDir, String name, Progress progress) {
    Path file = stateDir.lockFile(name);
    stateDir.ensure(file.getParent());
    try {
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        progress.step("waiting for another k3sbox working on cluster " + name);
        lock = channel.lock();
      }
      return new ClusterLock(channel, lock);
    } catch (IOException e) {
      throw new K3sboxException(
          ExitCode.USAGE,
          "cannot lock " + file + ": " + e.getMessage() + "; check K3SBOX_HOME is writable",
          e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // closing the channel releases the lock in any case
    }
  }
}
