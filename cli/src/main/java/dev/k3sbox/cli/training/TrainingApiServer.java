package dev.k3sbox.cli.training;

import dev.k3sbox.core.kubeconfig.Pem;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The API server of {@link TrainingDocker}'s server container: HTTPS on loopback, with the
 * stand-in's kind of credentials (an EC P-256 certificate and key, {@code EC PRIVATE KEY} as Go
 * writes it), answering the three requests {@code up} waits on: {@code /readyz}, {@code /version}
 * and the default service account. The certificate is a fixed one of the training's own (valid for
 * 100 years, for 127.0.0.1 only), serving as the CA, the server's and the client's: nothing trusts
 * it but the training's kubeconfig.
 */
final class TrainingApiServer implements Closeable {
  private final SSLServerSocket socket;

  private TrainingApiServer(SSLServerSocket socket) {
    this.socket = socket;
  }

  static TrainingApiServer serve(int port) throws IOException {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "server",
          Pem.privateKey(resource("server.key")),
          new char[0],
          Pem.certificates(resource("server.crt")).toArray(Certificate[]::new));
      KeyManagerFactory managers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      managers.init(keys, new char[0]);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(managers.getKeyManagers(), new TrustManager[] {new AnyClient()}, null);
      SSLServerSocket socket =
          (SSLServerSocket)
              tls.getServerSocketFactory()
                  .createServerSocket(port, 50, InetAddress.getLoopbackAddress());
      socket.setWantClientAuth(true); // so that up's client presents its certificate, as to k3s
      TrainingApiServer server = new TrainingApiServer(socket);
      Thread accept = new Thread(server::accept, "training-api");
      accept.setDaemon(true);
      accept.start();
      return server;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot serve the training's API: " + e.getMessage(), e);
    }
  }

  /**
   * A kubeconfig for a training API server at {@code server}, as k3s writes one: the training's
   * certificate as the CA's and the client's, its key as the client's.
   */
  static String kubeconfig(String server) {
    String cert = base64(resource("server.crt"));
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            certificate-authority-data: %s
            server: %s
          name: default
        contexts:
        - context:
            cluster: default
            user: default
          name: default
        current-context: default
        preferences: {}
        users:
        - name: default
          user:
            client-certificate-data: %s
            client-key-data: %s
        """
        .formatted(cert, server, cert, base64(resource("server.key")));
  }

  /** The server's kubeconfig as {@code docker cp} sends a file: a tar of one entry. */
  static byte[] kubeconfigTar() {
    // The URL k3s writes; up rewrites it to the one this host reaches.
    String kubeconfig = kubeconfig("https://127.0.0.1:6443");
    byte[] content = kubeconfig.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      TarArchiveEntry entry = new TarArchiveEntry("kubeconfig.yaml");
      entry.setSize(content.length);
      out.putArchiveEntry(entry);
      out.write(content);
      out.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tar.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        Thread thread = new Thread(() -> converse(connection), "training-api-connection");
        thread.setDaemon(true);
        thread.start();
      } catch (IOException e) {
        // closed
      }
    }
  }

  private static void converse(Socket connection) {
    try (connection;
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream()) {
      for (String request = line(in); request != null && !request.isEmpty(); request = line(in)) {
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
          // GETs only: no body to read
        }
        String path = request.split(" ")[1].split("\\?")[0];
        String body =
            switch (path) {
              case "/readyz" -> "ok";
              case "/version" -> "{\"major\":\"1\",\"minor\":\"35\",\"gitVersion\":\"v1.35.4\"}";
              case "/api/v1/namespaces/default/serviceaccounts/default" ->
                  "{\"kind\":\"ServiceAccount\",\"apiVersion\":\"v1\","
                      + "\"metadata\":{\"name\":\"default\",\"namespace\":\"default\"}}";
              default -> null;
            };
        byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
        out.write(
            ("HTTP/1.1 "
                    + (body == null ? "404 Not Found" : "200 OK")
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away, or gave up on the handshake
    }
  }

  /** One CRLF-ended line of an HTTP/1.1 head, or null at the end of the stream. */
  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        return line.toString(StandardCharsets.US_ASCII).stripTrailing();
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
  }

  static String resource(String name) {
    try (InputStream in = TrainingApiServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("k3sbox is built without its training " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Whatever client certificate {@code up} presents: the training checks no one. */
  private static final class AnyClient implements X509TrustManager {
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
