package dev.k3sbox.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import dev.k3sbox.core.kubeconfig.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.Socket;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Plain HTTPS to a Kubernetes API server with a kubeconfig's credentials: just enough for readiness
 * and version checks, and {@code up} on a running cluster must be quick.
 *
 * <p>{@link HttpURLConnection}, not {@code java.net.http.HttpClient}: on Java 17 the latter costs
 * about 0.25 s to start, and its selector thread, left blocked in native code, makes {@code
 * System.exit} wait another 0.3 s (HotSpot waits for threads in native before exiting). A full
 * Kubernetes client costs most of a second.
 */
public final class ApiServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final int READ_TIMEOUT_MS = 5_000;
  private final Kubeconfig kubeconfig;
  private final SSLSocketFactory tls;

  public ApiServer(Kubeconfig kubeconfig) {
    this.kubeconfig = kubeconfig;
    this.tls = sslContext(kubeconfig).getSocketFactory();
  }

  /**
   * Loads and initialises the JDK's TLS machinery, so that the first real request does not pay for
   * it; called while waiting for a server to boot.
   */
  public static void warmUp() {
    try {
      SSLContext.getDefault().createSSLEngine().getSupportedCipherSuites();
      KeyStore.getInstance("PKCS12").load(null, null);
      HttpsURLConnection.getDefaultHostnameVerifier();
      KeyFactory.getInstance("EC");
    } catch (GeneralSecurityException | IOException e) {
      // only a warm-up: the real request reports any problem
    }
  }

  /**
   * The status code of an anonymous GET of {@code path}, or -1 without an answer. It sends no
   * credentials and learns nothing but the code, so it accepts any certificate: it tells a booting
   * server (which has no kubeconfig to trust yet) from one that serves. A closed port is refused at
   * once; {@code connectTimeout} bounds the wait where nothing answers at all.
   */
  public static int anonymousStatus(String serverUrl, String path, Duration connectTimeout) {
    try {
      return read(open(
              serverUrl + path,
              AnyCertificate.FACTORY,
              AnyCertificate.ANY_HOST,
              (int) connectTimeout.toMillis()))
          .code();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Whether {@code /readyz} answers 200. */
  public boolean ready() {
    return status("/readyz").orElse(-1) == 200;
  }

  /** Whether the default namespace's service account exists (the controller manager makes it). */
  public boolean defaultServiceAccountExists() {
    return status("/api/v1/namespaces/default/serviceaccounts/default").orElse(-1) == 200;
  }

  /** The server's {@code gitVersion}, e.g. v1.35.4. */
  public Optional<String> version() {
    return get("/version").map(body -> body.path("gitVersion").asText(null));
  }

  private Optional<Integer> status(String path) {
    try {
      return Optional.of(send(path).code());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Optional<JsonNode> get(String path) {
    try {
      Response r = send(path);
      return r.code() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private record Response(int code, byte[] body) {}

  private Response send(String path) throws IOException {
    HttpURLConnection connection = open(kubeconfig.server() + path, tls, null, CONNECT_TIMEOUT_MS);
    if (kubeconfig.token() != null) {
      connection.setRequestProperty("Authorization", "Bearer " + kubeconfig.token());
    }
    return read(connection);
  }

  /**
   * A connection to {@code url} without a proxy, as for any loopback API server (the kubeconfig
   * names the address to use); {@code hosts}, when not null, replaces host-name verification.
   */
  private static HttpURLConnection open(
      String url, SSLSocketFactory tls, HostnameVerifier hosts, int connectTimeoutMs)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection(Proxy.NO_PROXY);
    connection.setConnectTimeout(connectTimeoutMs);
    connection.setReadTimeout(READ_TIMEOUT_MS);
    if (connection instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(tls);
      if (hosts != null) {
        https.setHostnameVerifier(hosts);
      }
    }
    return connection;
  }

  private static Response read(HttpURLConnection connection) throws IOException {
    int code = connection.getResponseCode();
    // Read the body to its end either way, so the connection is kept for the next poll.
    InputStream stream = code < 400 ? connection.getInputStream() : connection.getErrorStream();
    if (stream == null) {
      return new Response(code, new byte[0]);
    }
    try (InputStream in = stream) {
      return new Response(code, in.readAllBytes());
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

      KeyManager[] keys = null;
      if (k.clientCertPem() != null && k.clientKeyPem() != null) {
        keys =
            new KeyManager[] {
              new ClientKey(
                  Pem.privateKey(k.clientKeyPem()),
                  Pem.certificates(k.clientCertPem()).toArray(new X509Certificate[0]))
            };
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "the kubeconfig's certificates cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * The kubeconfig's client certificate, handed to TLS as it is. A {@code KeyManagerFactory} needs
   * a key store, and Java 17's PKCS12 store encrypts every key put in it with 10,000 rounds of
   * PBKDF2: a tenth of a second of CPU taken from a server booting on the same two cores.
   */
  private static final class ClientKey extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    ClientKey(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
  }

  /** TLS that accepts any server certificate: only for {@link #anonymousStatus}. */
  private static final class AnyCertificate implements X509TrustManager {
    static final SSLSocketFactory FACTORY = factory();
    // One instance: the JDK keeps a connection alive only for the same factory and verifier.
    static final HostnameVerifier ANY_HOST = (host, session) -> true;

    private static SSLSocketFactory factory() {
      try {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new AnyCertificate()}, null);
        return ctx.getSocketFactory();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JVM has no TLS", e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
