package dev.k3sbox.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import dev.k3sbox.core.kubeconfig.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Plain HTTPS to a Kubernetes API server with a kubeconfig's credentials: just enough for readiness
 * and version checks. The JDK's client starts in milliseconds where a full Kubernetes client costs
 * most of a second, and {@code up} on a running cluster must be quick.
 */
public final class ApiServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Kubeconfig kubeconfig;
  private final HttpClient http;

  public ApiServer(Kubeconfig kubeconfig) {
    this.kubeconfig = kubeconfig;
    this.http =
        HttpClient.newBuilder()
            .sslContext(sslContext(kubeconfig))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  /**
   * Loads and initialises the JDK's TLS and HTTP client machinery, so that the first real request
   * does not pay for it; called while waiting for a server to boot.
   */
  public static void warmUp() {
    try {
      SSLContext.getDefault().createSSLEngine().getSupportedCipherSuites();
      KeyStore.getInstance("PKCS12").load(null, null);
      HttpClient.newBuilder().build();
      KeyFactory.getInstance("EC");
    } catch (GeneralSecurityException | IOException e) {
      // only a warm-up: the real request reports any problem
    }
  }

  /** Whether {@code /readyz} answers 200. */
  public boolean ready() {
    return status("/readyz").orElse(-1) == 200;
  }

  /** Whether the controller manager has created the default namespace's service account. */
  public boolean defaultServiceAccountExists() {
    return status("/api/v1/namespaces/default/serviceaccounts/default").orElse(-1) == 200;
  }

  /** The server's {@code gitVersion}, e.g. v1.35.4. */
  public Optional<String> version() {
    return get("/version").map(body -> body.path("gitVersion").asText(null));
  }

  private Optional<Integer> status(String path) {
    try {
      return Optional.of(send(path, HttpResponse.BodyHandlers.discarding()).statusCode());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Optional<JsonNode> get(String path) {
    try {
      HttpResponse<String> r = send(path, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private <T> HttpResponse<T> send(String path, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(kubeconfig.server() + path))
            .timeout(Duration.ofSeconds(5));
    if (kubeconfig.token() != null) {
      request.header("Authorization", "Bearer " + kubeconfig.token());
    }
    try {
      return http.send(request.build(), handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static SSLContext sslContext(Kubeconfig k) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      if (k.caPem() != null) {
        List<X509Certificate> cas = Pem.certificates(k.caPem());
        for (int i = 0; i < cas.size(); i++) {
          trust.setCertificateEntry("ca" + i, cas.get(i));
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(k.caPem() != null ? trust : null);

      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      char[] password = "k3sbox".toCharArray();
      if (k.clientCertPem() != null && k.clientKeyPem() != null) {
        List<X509Certificate> chain = Pem.certificates(k.clientCertPem());
        keys.setKeyEntry(
            "client",
            Pem.privateKey(k.clientKeyPem()),
            password,
            chain.toArray(new X509Certificate[0]));
      }
      kmf.init(keys, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "the kubeconfig's certificates cannot be read: " + e.getMessage(), e);
    }
  }
}
