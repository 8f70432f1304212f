package dev.k3sbox.helm.cluster;

import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * fabric8's own vert.x HTTP client, asking the server for HTTP/2 (ALPN) and multiplexing every
 * request over one connection. Over HTTP/1.1, sixteen dry runs in flight meant sixteen TLS
 * handshakes per run, each a handful of P-256 operations in Java: the largest item in the client's
 * CPU profile, on cores it shares with the API server. A server or proxy that offers only HTTP/1.1
 * gets HTTP/1.1, as before. For {@code https} URLs only: see {@link ClusterConnection#open}.
 */
final class MultiplexedHttpClientFactory extends Vertx5HttpClientFactory {
  @Override
  protected void additionalConfig(
      WebClientOptions options, WebSocketClientOptions webSockets, PoolOptions pool) {
    options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true);
    pool.setHttp2MaxSize(1);
    chaCha20First().forEach(options::addEnabledCipherSuite);
  }

  /**
   * The JDK's enabled cipher suites (what vert.x offers when given none), in the JDK's order but
   * with ChaCha20-Poly1305 first. k3sbox runs C1 only ({@code cli/jvm.options}), and C1 has none of
   * the JDK's AES-GCM intrinsics: AES-GCM in plain Java took a fifth of a matrix's client CPU
   * (JFR), and ChaCha20-Poly1305 costs a quarter as much per byte under C1. Go's TLS 1.3 servers
   * (every API server) choose ChaCha20 when the client lists it first; the others choose as before.
   */
  static List<String> chaCha20First() {
    return JdkSuites.CHACHA20_FIRST;
  }

  /** Once per JVM, as vert.x finds the JDK's suites; empty (vert.x's default) if it cannot. */
  private static final class JdkSuites {
    static final List<String> CHACHA20_FIRST = reordered();

    private static List<String> reordered() {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        // No key or trust material: the enabled suites do not depend on it, and none given
        // spares reading the JDK's CA store.
        context.init(new KeyManager[0], new TrustManager[0], null);
        List<String> suites =
            new ArrayList<>(List.of(context.createSSLEngine().getEnabledCipherSuites()));
        suites.sort(Comparator.comparing(suite -> !suite.contains("_CHACHA20_"))); // stable
        return List.copyOf(suites);
      } catch (java.security.GeneralSecurityException | RuntimeException e) {
        return List.of();
      }
    }
  }
}
