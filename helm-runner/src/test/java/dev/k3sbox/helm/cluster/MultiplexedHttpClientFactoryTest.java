package dev.k3sbox.helm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The factory's HTTP client against a real TLS server (vert.x's, with a certificate made by the
 * JDK's keytool): HTTP/2 where the server offers it, HTTP/1.1 where it does not.
 */
class MultiplexedHttpClientFactoryTest {
  private static final String PASSWORD = "changeit";

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldSendConcurrentRequestsAsStreamsOfOneHttp2Connection() throws Exception {
    // Given
    int port = serve(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));

    // When
    List<String> versions = getConcurrently(port, 8);

    // Then
    assertThat(versions).hasSize(8).containsOnly("HTTP_2");
    assertThat(connections).hasSize(1);
  }

  @Test
  void shouldFallBackToHttp11WhenTheServerOffersOnlyThat() throws Exception {
    // Given
    int port = serve(List.of(HttpVersion.HTTP_1_1));

    // When
    List<String> versions = getConcurrently(port, 4);

    // Then
    assertThat(versions).hasSize(4).containsOnly("HTTP_1_1");
  }

  /** An HTTPS server answering each request with the HTTP version it arrived in. */
  private int serve(List<HttpVersion> alpn) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(0)
            .setSsl(true)
            .setUseAlpn(true)
            .setAlpnVersions(alpn)
            .setKeyCertOptions(
                new PfxOptions().setPath(keyStore().toString()).setPassword(PASSWORD));
    HttpServer server =
        vertx
            .createHttpServer(options)
            .requestHandler(
                request -> {
                  connections.add(request.connection());
                  request.response().end(request.version().name());
                })
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return server.actualPort();
  }

  private List<String> getConcurrently(int port, int requests) throws Exception {
    Config config =
        new ConfigBuilder()
            .withMasterUrl("https://127.0.0.1:" + port)
            .withTrustCerts(true)
            .withDisableHostnameVerification(true)
            .build();
    try (HttpClient http = new MultiplexedHttpClientFactory().newBuilder(config).build()) {
      List<CompletableFuture<HttpResponse<String>>> sent =
          IntStream.range(0, requests)
              .mapToObj(
                  i ->
                      http.sendAsync(
                          http.newHttpRequestBuilder()
                              .uri("https://127.0.0.1:" + port + "/" + i)
                              .build(),
                          String.class))
              .toList();
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
      return sent.stream().map(f -> f.join().body()).toList();
    }
  }

  /** A throw-away EC key and self-signed certificate, made by the JDK's own keytool. */
  private Path keyStore() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as("keytool: %s", output).isZero();
    return store;
  }
}
