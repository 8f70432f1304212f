package dev.k3sbox.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.Progress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code up}s that both need the stand-in built: the second waits for the first's build, in
 * another process, and is told so; a holder that dies frees the lock with it.
 */
class ProcessLockTest {
  @TempDir Path dir;

  @Test
  void shouldWaitForAnotherProcessesBuildAndSaySo() throws Exception {
    // Given: another process holds the build lock
    Path file = dir.resolve(".lock");
    Process holder = holder(file);
    List<String> steps = new CopyOnWriteArrayList<>();
    Progress progress = recording(steps);

    // When: this process asks for it
    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(
            () -> {
              try (ProcessLock lock = ProcessLock.acquire(file, progress, "building this image")) {
                return lock.waited();
              }
            });

    // Then: it waits, saying why, until the holder ends
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !steps.isEmpty());
    assertThat(steps)
        .singleElement()
        .asString()
        .isEqualTo("waiting for another k3sbox run building this image");
    assertThat(waited).isNotDone();
    try (OutputStream release = holder.getOutputStream()) {
      release.write('\n');
    }
    assertThat(waited.get()).isTrue();
    assertThat(holder.waitFor()).isZero();
  }

  @Test
  void shouldNotWaitForAHolderThatWasKilled() throws Exception {
    Path file = dir.resolve(".lock");
    Process holder = holder(file);
    holder.destroyForcibly().waitFor();

    try (ProcessLock lock = ProcessLock.acquire(file, Progress.NONE, "x")) {
      assertThat(lock.waited()).isFalse();
    }
  }

  /** A JVM that takes the lock, says "locked", and lets it go when a line arrives on stdin. */
  private static Process holder(Path file) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Holder.class.getName(),
                file.toString())
            .redirectErrorStream(true)
            .start();
    var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("locked");
    return p;
  }

  private static Progress recording(List<String> steps) {
    return new Progress() {
      @Override
      public void step(String message) {
        steps.add(message);
      }

      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}
    };
  }

  /** The other process. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      try (ProcessLock lock = ProcessLock.acquire(Path.of(args[0]), Progress.NONE, "x")) {
        System.out.println("locked");
        System.out.flush();
        System.in.read();
      }
    }
  }
}
