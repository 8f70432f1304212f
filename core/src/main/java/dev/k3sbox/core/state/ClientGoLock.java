package dev.k3sbox.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lock file taken as client-go takes {@code <kubeconfig>.lock}: created exclusively, holding who
 * holds it, and taken over when its holder is gone or it is older than a bound. k3sbox locks the
 * user's kubeconfig this way, so that kubectl and Helm wait for it, and it for them.
 */
public final class ClientGoLock {
  // The text k3sbox writes into a kubeconfig lock: see holder().
  private static final Pattern HOLDER =
      Pattern.compile("k3sbox pid=(\\d+) ns=(\\S+) started=\\S+\n");

  private ClientGoLock() {}

  /**
   * Holds {@code <file>.lock} the way client-go does (created exclusively, deleted after), so
   * kubectl and k3sbox never write one kubeconfig at the same time. A lock left by a killed process
   * is taken over: at once when k3sbox wrote it, since it names its holder (process id and start
   * time) and that process is gone (SIGKILL runs no cleanup, and `up` killed while it merged would
   * otherwise block the next `up` for minutes); otherwise (kubectl's are empty) once it is older
   * than {@code staleAfter}.
   */
  public static AutoCloseable take(Path file, Duration wait, Duration staleAfter)
      throws IOException {
    Path lock = file.resolveSibling(file.getFileName() + ".lock");
    long deadline = System.nanoTime() + wait.toNanos();
    // Made before the lock exists, so that the lock is empty only for the moment between its
    // creation and one write: a kill in that moment leaves a lock that names nobody.
    ByteBuffer holder =
        ByteBuffer.wrap(holder(ProcessHandle.current()).getBytes(StandardCharsets.UTF_8));
    while (true) {
      try (FileChannel ch =
          FileChannel.open(
              lock,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              SecureFiles.OWNER_ONLY_ATTR)) {
        try {
          ch.write(holder);
        } catch (IOException e) {
          Files.deleteIfExists(lock); // not held after all
          throw e;
        }
        return () -> Files.deleteIfExists(lock);
      } catch (FileAlreadyExistsException e) {
        if (isStale(lock, staleAfter)) {
          takeOver(lock, staleAfter);
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

  /**
   * Deletes a stale lock, judged again under an OS lock on {@code <lock>.takeover}: two writers
   * that both found it stale would otherwise both delete, the second one the lock the first had
   * just made, and both would write. The OS lock dies with its process, so this guard cannot go
   * stale; its file stays (made only on a takeover).
   */
  private static void takeOver(Path lock, Duration staleAfter) throws IOException {
    Path guard = lock.resolveSibling(lock.getFileName() + ".takeover");
    try (FileChannel ch =
            FileChannel.open(
                guard,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                SecureFiles.OWNER_ONLY_ATTR);
        FileLock held = ch.lock()) {
      if (isStale(lock, staleAfter)) {
        Files.deleteIfExists(lock);
      }
    }
  }

  private static boolean isStale(Path lock, Duration staleAfter) {
    try {
      if (holderIsGone(Files.readString(lock))) {
        return true;
      }
      Instant modified = Files.getLastModifiedTime(lock).toInstant();
      return modified.plus(staleAfter).isBefore(Instant.now());
    } catch (IOException e) {
      return false; // gone already: the next create will tell
    }
  }

  /**
   * What k3sbox writes into its lock: who holds it, for {@link #holderIsGone}. The process id means
   * something only in its PID namespace (a container sharing the home folder has its own), so the
   * namespace is named too.
   */
  static String holder(ProcessHandle process) {
    return "k3sbox pid="
        + process.pid()
        + " ns="
        + PidNamespace.OF_THIS_PROCESS
        + " started="
        + process.info().startInstant().map(Instant::toString).orElse("unknown")
        + "\n";
  }

  /**
   * Whether the lock's text names a process of this PID namespace that has ended. The start time
   * guards against a new process that got the same id. A text that names no process (kubectl's
   * empty lock, one being written), or one of another or an unknown namespace, says nothing.
   */
  static boolean holderIsGone(String text) {
    Matcher m = HOLDER.matcher(text);
    String ours = PidNamespace.OF_THIS_PROCESS;
    if (!m.lookingAt() || !m.group(2).equals(ours) || ours.equals("unknown")) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(m.group(1)));
    return process.isEmpty() || !holder(process.get()).equals(m.group());
  }

  /** Read at the first lock, not with the class: every atomic write loads it and needs none. */
  private static final class PidNamespace {
    static final String OF_THIS_PROCESS = read();

    private static String read() {
      try {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replace(' ', '_');
      } catch (IOException | UnsupportedOperationException e) {
        return "unknown";
      }
    }
  }
}
