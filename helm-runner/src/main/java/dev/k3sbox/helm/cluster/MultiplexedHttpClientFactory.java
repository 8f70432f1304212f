package dev.k3sbox.helm.cluster;

import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClientOptions;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;

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
    chachaFirst().forEach(options::addEnabledCipherSuite);
  }

  /**
   * The JDK's default cipher suites, ChaCha20-Poly1305 ones first. k3sbox's JVMs compile with C1
   * only (cli/jvm.options), and C1 has no intrinsic for AES-GCM's GHASH: there AES-GCM encrypts at
   * ~40 MB/s and ChaCha20-Poly1305 at ~200 MB/s (a 16 KB record at a time, as TLS sends). A chart
   * sends its objects' JSON once per server (kube-prometheus-stack ~2 MB; a matrix four times
   * that), and reads the answers: measured, the warm JVM's CPU per matrix went from 1.25-1.29 s to
   * 1.17-1.24 s. A Go server (kube-apiserver, k3s) reads a client that lists ChaCha20 first as one
   * without AES hardware and picks ChaCha20; a server that keeps its own order still finds AES-GCM
   * in the list. Nothing is added or removed: only the order changes.
   */
  static List<String> chachaFirst() {
    String[] defaults;
    try {
      defaults = SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites();
    } catch (NoSuchAlgorithmException e) {
      return List.of(); // no default context: vert.x's own defaults, as before
    }
    List<String> ordered = new ArrayList<>();
    Arrays.stream(defaults).filter(s -> s.contains("CHACHA20")).forEach(ordered::add);
    Arrays.stream(defaults).filter(s -> !s.contains("CHACHA20")).forEach(ordered::add);
    return ordered;
  }
}
