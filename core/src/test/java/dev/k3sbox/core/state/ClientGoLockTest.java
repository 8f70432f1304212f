package dev.k3sbox.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubeconfig lock after a writer was killed. A wait of zero makes each call one decision: take
 * the lock over now, or report it held.
 */
class ClientGoLockTest {
  private static final Duration NO_WAIT = Duration.ZERO;
  private static final Duration STALE_AFTER = Duration.ofMinutes(10);

  @TempDir Path dir;

  @Test
  void shouldTakeOverAtOnceALockWhoseK3sboxHolderIsGone() throws Exception {
    // Given: the lock of a k3sbox process that was then killed
    String text = holderOfKilledProcess();
    Path config = dir.resolve("config");
    Files.writeString(lock(config), text);

    // When
    try (AutoCloseable held = ClientGoLock.take(config, NO_WAIT, STALE_AFTER)) {
      // Then: it is ours now
      assertThat(Files.readString(lock(config)))
          .isEqualTo(ClientGoLock.holder(ProcessHandle.current()));
    }
    assertThat(lock(config)).doesNotExist();
  }

  @Test
  void shouldLeaveALockWhoseHolderRuns() throws Exception {
    Path config = dir.resolve("config");
    Files.writeString(lock(config), ClientGoLock.holder(ProcessHandle.current()));

    assertThatThrownBy(() -> ClientGoLock.take(config, NO_WAIT, STALE_AFTER))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is held by another writer");
  }

  @Test
  void shouldLeaveAFreshLockThatNamesNoHolder() throws Exception {
    // Given: kubectl's lock (client-go writes nothing into it)
    Path config = dir.resolve("config");
    Files.createFile(lock(config));

    assertThatThrownBy(() -> ClientGoLock.take(config, NO_WAIT, STALE_AFTER))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is held by another writer");
  }

  @Test
  void shouldSeeAReusedProcessIdAsAnotherProcess() {
    String live = ClientGoLock.holder(ProcessHandle.current());

    assertThat(ClientGoLock.holderIsGone(live)).isFalse();
    assertThat(
            ClientGoLock.holderIsGone(
                live.replaceAll("started=\\S+", "started=1970-01-01T00:00:00Z")))
        .isTrue();
    assertThat(ClientGoLock.holderIsGone("")).isFalse();
  }

  @Test
  void shouldNotJudgeAHolderOfAnotherPidNamespace() throws Exception {
    // Given: a k3sbox in another container, sharing this home folder, whose pid means nothing here
    String text = holderOfKilledProcess().replaceAll("ns=\\S+", "ns=pid:[1]");

    assertThat(ClientGoLock.holderIsGone(text)).isFalse();
  }

  /** What a k3sbox process wrote into its lock, that process having been killed since. */
  private static String holderOfKilledProcess() throws Exception {
    Process killed = new ProcessBuilder("sleep", "60").start();
    String text = ClientGoLock.holder(killed.toHandle());
    killed.destroyForcibly().waitFor();
    return text;
  }

  private static Path lock(Path config) {
    return config.resolveSibling("config.lock");
  }
}
