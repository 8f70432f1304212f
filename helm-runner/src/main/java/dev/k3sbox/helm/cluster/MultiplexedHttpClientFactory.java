package dev.k3sbox.helm.cluster;

import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClientOptions;

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
  }
}
