package dev.k3sbox.helm.cluster;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the API server's {@code Warning} headers (deprecations, unknown fields under Warn) per
 * request path. fabric8 does not hand them to the caller, and each object of a chart has its own
 * path, so the path is what ties a warning to the object that caused it.
 */
final class WarningRecorder implements Interceptor {
  private final Map<String, List<String>> byPath = new ConcurrentHashMap<>();

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    List<String> headers = response.headers("Warning");
    if (headers != null && !headers.isEmpty()) {
      List<String> texts = new ArrayList<>();
      headers.forEach(h -> texts.add(text(h)));
      byPath.merge(request.uri().getPath(), texts, WarningRecorder::concat);
    }
  }

  /** The warnings recorded for requests to {@code path}, removed from the recorder. */
  List<String> take(String path) {
    List<String> warnings = byPath.remove(path);
    return warnings == null ? List.of() : warnings;
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

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
