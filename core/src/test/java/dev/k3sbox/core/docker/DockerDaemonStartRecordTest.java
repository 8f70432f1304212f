package dev.k3sbox.core.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerDaemonStartRecordTest {
  @TempDir Path dir;

  @Test
  void shouldKnowNoDaemonOfItsOwnWithoutARecord() {
    // Given
    StateDir state = new StateDir(dir);

    // Then
    assertThat(DockerDaemon.startedByK3sbox(state)).isEmpty();
  }

  @Test
  void shouldNotTakeALiveProcessThatIsNoDockerdForTheDaemonItStarted() throws Exception {
    // Given: a record naming this JVM, as after the recorded dockerd died and its pid was reused
    StateDir state = new StateDir(dir);
    Files.createDirectories(state.dockerd());
    Files.writeString(
        DockerDaemon.startRecord(state), "{\"pid\":" + ProcessHandle.current().pid() + "}");

    // Then
    assertThat(DockerDaemon.startedByK3sbox(state)).isEmpty();
  }
}
