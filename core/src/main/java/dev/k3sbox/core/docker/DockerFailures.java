package dev.k3sbox.core.docker;

import com.github.dockerjava.api.exception.DockerException;
import dev.k3sbox.core.engine.EngineException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** Docker's failures as the engine ports report them: {@link EngineException}s. */
final class DockerFailures {
  private DockerFailures() {}

  /** Runs a request, Docker's failures turned into the port's. */
  static <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (RuntimeException e) {
      throw translated(e);
    }
  }

  /**
   * {@code e} as a port reports it where it is Docker's: a refusal with its HTTP status, a failure
   * of the transport or of a callback (no socket, a wait timed out) with none. Anything else is
   * k3sbox's own, left as it is.
   */
  static RuntimeException translated(RuntimeException e) {
    if (e instanceof DockerException refused) {
      return new EngineException(refused.getHttpStatus(), DaemonError.lineOf(e), e);
    }
    boolean transport =
        e instanceof UncheckedIOException
            || e.getClass().getName().startsWith("com.github.dockerjava");
    return transport ? new EngineException(0, DaemonError.lineOf(e), e) : e;
  }
}
