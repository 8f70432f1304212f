package dev.k3sbox.helm.cluster;

import java.util.List;

/**
 * The API server's {@code Warning} response headers (deprecated API versions, unknown fields under
 * {@code fieldValidation=Warn}), which fabric8's typed calls drop and k3sbox reports per object.
 */
final class WarningHeaders {
  private WarningHeaders() {}

  /** The texts of every {@code Warning} header in {@code headers} (null means none). */
  static List<String> texts(List<String> headers) {
    return headers == null ? List.of() : headers.stream().map(WarningHeaders::text).toList();
  }

  /** {@code 299 - "text"} → {@code text} (RFC 7234 warn-code, agent, quoted text). */
  static String text(String header) {
    String h = header.strip();
    int quote = h.indexOf('"');
    if (h.startsWith("299") && quote >= 0 && h.endsWith("\"")) {
      return h.substring(quote + 1, h.length() - 1).replace("\\\"", "\"");
    }
    return h;
  }
}
