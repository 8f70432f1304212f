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
import java.util.function.Predicate;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The factory's HTTP client against a real server (vert.x's; for TLS with a certificate made by the
 * JDK's keytool): HTTP/2 where the server offers it, HTTP/1.1 where it does not. Requests are
 * PATCHes with a body, as {@link ObjectApplier} sends them.
 */
class MultiplexedHttpClientFactoryTest {
  private static final String PASSWORD = "changeit";
  private static final String BODY = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}";

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
    int port = serve(tls(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1)));

    // When
    List<String> answers = patchConcurrently("https", port, 8);

    // Then
    assertThat(answers).hasSize(8).containsOnly("HTTP_2 " + BODY.length());
    assertThat(connections).hasSize(1);
  }

  @Test
  void shouldFallBackToHttp11WhenTheServerOffersOnlyThat() throws Exception {
    // Given
    int port = serve(tls(List.of(HttpVersion.HTTP_1_1)));

    // When
    List<String> answers = patchConcurrently("https", port, 4);

    // Then
    assertThat(answers).hasSize(4).containsOnly("HTTP_1_1 " + BODY.length());
  }

  @Test
  void shouldOfferTheJdksCipherSuitesWithChaCha20First() throws Exception {
    // Given: what the JDK enables, which is what vert.x would offer unasked
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, null, null);
    List<String> jdk = List.of(context.createSSLEngine().getEnabledCipherSuites());
    Predicate<String> chaCha20 = suite -> suite.contains("_CHACHA20_POLY1305_");

    // When
    List<String> offered = MultiplexedHttpClientFactory.chaCha20First();

    // Then: the same suites; the ChaCha20 ones first, the others in the JDK's order
    assertThat(offered).containsExactlyInAnyOrderElementsOf(jdk);
    long first = offered.stream().takeWhile(chaCha20).count();
    assertThat(first).isEqualTo(jdk.stream().filter(chaCha20).count()).isPositive();
    assertThat(offered.subList((int) first, offered.size()))
        .containsExactlyElementsOf(jdk.stream().filter(chaCha20.negate()).toList());
  }

  private HttpServerOptions tls(List<HttpVersion> alpn) throws Exception {
    return new HttpServerOptions()
        .setHost("127.0.0.1")
        .setSsl(true)
        .setUseAlpn(true)
        .setAlpnVersions(alpn)
        .setKeyCertOptions(new PfxOptions().setPath(keyStore().toString()).setPassword(PASSWORD));
  }

  /** A server answering each request with the HTTP version it came in and its body's length. */
  private int serve(HttpServerOptions options) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer(options.setPort(0))
            .requestHandler(
                request -> {
                  connections.add(request.connection());
                  request
                      .body()
                      .onSuccess(
                          body ->
                              request
                                  .response()
                                  .end(request.version().name() + " " + body.length()));
                })
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return server.actualPort();
  }

  private List<String> patchConcurrently(String scheme, int port, int requests) throws Exception {
    String base = scheme + "://127.0.0.1:" + port;
    Config config =
        new ConfigBuilder()
            .withMasterUrl(base)
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
                              .uri(base + "/" + i)
                              .method("PATCH", "application/apply-patch+yaml", BODY)
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
