package dev.k3sbox.core.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerException;
import dev.k3sbox.core.engine.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The daemon's own words for a failure. docker-java puts the HTTP body in the message ({@code
 * Status 500: {"message":"failed to create shim task: …"}}); users need the inner message,
 * verbatim, on one line.
 */
public final class DaemonError {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DaemonError() {}

  /** Runs a request, Docker's failures turned into the engine port's. */
  static <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (RuntimeException e) {
      throw translated(e);
    }
  }

  /** {@code e} as the engine port reports it where Docker failed; any other failure as it is. */
  static RuntimeException translated(RuntimeException e) {
    if (e instanceof DockerException d) {
      return new EngineException(d.getHttpStatus(), lineOf(e), e);
    }
    // the transport's failures (no socket, a closed connection) have no HTTP status
    if (e.getClass().getName().startsWith("com.github.dockerjava")
        || e instanceof UncheckedIOException) {
      return new EngineException(0, lineOf(e), e);
    }
    return e;
  }

  public static String lineOf(Throwable t) {
    Throwable root = t;
    while (root.getMessage() == null && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      return root.getClass().getSimpleName();
    }
    return oneLine(fromBody(message));
  }

  static String fromBody(String message) {
    int brace = message.indexOf('{');
    if (brace >= 0) {
      try {
        JsonNode node = JSON.readTree(message.substring(brace));
        if (node.hasNonNull("message")) {
          return node.get("message").asText();
        }
      } catch (IOException e) {
        // Not JSON after all: fall through to the raw text.
      }
    }
    return message.replaceFirst("^Status \\d+: ", "");
  }

  static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
