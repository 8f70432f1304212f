package dev.k3sbox.cli.training;

import dev.k3sbox.core.kubeconfig.Pem;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;

/**
 * The API server the {@code helm} family's training validates against: HTTPS with HTTP/2 (ALPN), as
 * a real API server speaks to fabric8's Vert.x client, answering what {@code validate} of a
 * one-ConfigMap chart asks (the version, the core group's resources, the namespace, the server-side
 * dry run). Without it the training's {@code validate} stopped at a closed port, and every real one
 * read ~650 classes of the HTTP/2 stack and the answers' binding from jars (~0.13 s).
 */
final class TrainingKubeApi implements Closeable {
  private static final String PASSWORD = "training";

  private final Vertx vertx;
  private final HttpServer server;

  private TrainingKubeApi(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static TrainingKubeApi serve() throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(0)
            .setSsl(true)
            .setUseAlpn(true)
            .setKeyCertOptions(new PfxOptions().setValue(keyStore()).setPassword(PASSWORD));
    HttpServer server = vertx.createHttpServer(options).requestHandler(TrainingKubeApi::answer);
    server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new TrainingKubeApi(vertx, server);
  }

  /** A kubeconfig for this server, as k3s writes one, in {@code dir}. */
  Path kubeconfig(Path dir) throws IOException {
    Path file = dir.resolve("training-kubeconfig.yaml");
    Files.writeString(
        file, TrainingApiServer.kubeconfig("https://127.0.0.1:" + server.actualPort()));
    return file;
  }

  @Override
  public void close() {
    vertx.close();
  }

  private static void answer(HttpServerRequest request) {
    request
        .body()
        .onComplete(
            body -> {
              String path = request.path();
              String json =
                  switch (path) {
                    case "/version" ->
                        "{\"major\":\"1\",\"minor\":\"35\",\"gitVersion\":\"v1.35.4\"}";
                    case "/api" ->
                        "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
                            + "\"serverAddressByClientCIDRs\":[]}";
                    case "/apis" ->
                        "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}";
                    case "/api/v1" ->
                        "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
                            + "{\"name\":\"configmaps\",\"singularName\":\"configmap\","
                            + "\"namespaced\":true,\"kind\":\"ConfigMap\",\"verbs\":[\"create\","
                            + "\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]},"
                            + "{\"name\":\"namespaces\",\"singularName\":\"namespace\","
                            + "\"namespaced\":false,\"kind\":\"Namespace\",\"verbs\":[\"get\"]}]}";
                    case "/apis/apiextensions.k8s.io/v1/customresourcedefinitions" ->
                        "{\"kind\":\"CustomResourceDefinitionList\",\"apiVersion\":"
                            + "\"apiextensions.k8s.io/v1\",\"metadata\":{},\"items\":[]}";
                    case "/api/v1/namespaces/default" ->
                        "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":"
                            + "\"default\"},\"status\":{\"phase\":\"Active\"}}";
                    default ->
                        path.startsWith("/api/v1/namespaces/default/configmaps/")
                            ? "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":"
                                + "\"cds\",\"namespace\":\"default\",\"uid\":\"0\","
                                + "\"resourceVersion\":\"1\"},\"data\":{\"value\":\"one\"}}"
                            : null;
                  };
              if (System.getenv("K3SBOX_TRAINING_SHOW") != null) {
                System.err.println("training API: " + request.method() + " " + request.uri());
              }
              request
                  .response()
                  .setStatusCode(json == null ? 404 : 200)
                  .putHeader("Content-Type", "application/json")
                  .end(
                      json != null
                          ? json
                          : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                              + "\"reason\":\"NotFound\",\"code\":404}");
            });
  }

  /** The training's certificate and key as a PKCS#12 store, which Vert.x reads from memory. */
  private static Buffer keyStore() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "training",
        Pem.privateKey(TrainingApiServer.resource("server.key")),
        PASSWORD.toCharArray(),
        Pem.certificates(TrainingApiServer.resource("server.crt")).toArray(Certificate[]::new));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    keys.store(out, PASSWORD.toCharArray());
    return Buffer.buffer(out.toByteArray());
  }
}
