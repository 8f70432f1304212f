package dev.k3sbox.core.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The daemon's own words for a failure. docker-java puts the HTTP body in the message ({@code
 * Status 500: {"message":"failed to create shim task: …"}}); users need the inner message,
 * verbatim, on one line.
 */
public final class DaemonError {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DaemonError() {}

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
