package dev.k3sbox.core.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import org.junit.jupiter.api.Test;

class DaemonErrorTest {

  @Test
  void shouldKeepTheDaemonsOwnMessageVerbatim() {
    // Given what docker-java throws when runc refuses --privileged in gVisor
    var e =
        new InternalServerErrorException(
            "Status 500: {\"message\":\"failed to create shim task: OCI runtime create failed:"
                + " unable to apply caps: operation not permitted: unknown\"}\n");

    // Then
    assertThat(DaemonError.lineOf(e))
        .isEqualTo(
            "failed to create shim task: OCI runtime create failed: unable to apply caps:"
                + " operation not permitted: unknown");
  }

  @Test
  void shouldFoldMultiLineMessagesIntoOneLine() {
    assertThat(DaemonError.lineOf(new RuntimeException("first\n  second\n")))
        .isEqualTo("first second");
  }

  @Test
  void shouldNameTheExceptionWhenItHasNoMessage() {
    assertThat(DaemonError.lineOf(new IllegalStateException())).isEqualTo("IllegalStateException");
  }
}
