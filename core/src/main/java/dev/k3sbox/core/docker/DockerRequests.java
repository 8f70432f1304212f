package dev.k3sbox.core.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Docker Engine API requests whose bodies and answers are JSON trees, sent through a docker-java
 * client's own transport: for the few requests on {@code up}'s way to a started server.
 *
 * <p>Why not docker-java's typed commands there: in a fresh JVM, Jackson builds a serializer or
 * deserializer for each type by reflection over it the first time, and the types of an image
 * inspection and a container create are large (the inspection's ~80 ms of CPU, most of it that;
 * async-profiler, {@code k3sbox up}). A tree needs no such building. Failures come as docker-java's
 * own exceptions with its message ({@code Status 409: {"message":…}}): {@code NotFoundException}
 * for 404, {@code ConflictException} for 409, else a {@code DockerException} with the status, the
 * ones k3sbox tells apart. Paths are unversioned, as docker-java's are unless an API version is
 * configured (k3sbox configures none).
 */
public final class DockerRequests {
  private final DockerHttpClient http;

  private DockerRequests(DockerHttpClient http) {
    this.http = http;
  }

  /**
   * One mapper for all: docker-java hands out a copy of its own at each call, and trees need none
   * of its configuration. Made at first use, after the client has loaded Jackson.
   */
  private static final class Json {
    static final ObjectMapper MAPPER = DockerClientConfig.getDefaultObjectMapper();
  }

  /** Requests through {@code docker}'s transport; it must be a client of {@link DockerClients}. */
  public static DockerRequests of(DockerClient docker) {
    if (docker instanceof DockerClientImpl impl && impl.getHttpClient() != null) {
      return new DockerRequests(impl.getHttpClient());
    }
    throw new IllegalArgumentException("not a client made by DockerClients: " + docker);
  }

  /** A tree to fill in as a request body. */
  public ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }

  /** The answer to a GET of {@code path}, or empty when the daemon answers 404. */
  public Optional<JsonNode> get(String path) {
    try {
      return Optional.of(send(DockerHttpClient.Request.Method.GET, path, null));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** The answer to a POST of {@code body} to {@code path}. */
  public JsonNode post(String path, JsonNode body) {
    return send(DockerHttpClient.Request.Method.POST, path, body);
  }

  /**
   * POSTs {@code body} (of {@code contentType}) to {@code path} and returns the daemon's answer, a
   * stream of JSON messages such as {@code /images/load} sends: {@code {"stream": ...}} for
   * progress, {@code {"error": ...}} for a failure it reports with status 200.
   */
  public List<JsonNode> postStream(String path, String contentType, InputStream body) {
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.POST)
            .path(path)
            .putHeader("Content-Type", contentType)
            .body(body)
            .build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      byte[] answer = response.getBody().readAllBytes();
      if (response.getStatusCode() < 200 || response.getStatusCode() > 299) {
        throw failure(response.getStatusCode(), new String(answer, StandardCharsets.UTF_8));
      }
      List<JsonNode> messages = new ArrayList<>();
      try (var values = Json.MAPPER.readerFor(JsonNode.class).readValues(answer)) {
        while (values.hasNext()) {
          messages.add((JsonNode) values.next());
        }
      }
      return messages;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code Labels} object of {@code owner} (a volume, an image's {@code Config}), or null where
   * it has none, as docker-java's types report it.
   */
  public static Map<String, String> labels(JsonNode owner) {
    JsonNode labels = owner.path("Labels");
    if (!labels.isObject()) {
      return null;
    }
    Map<String, String> map = new HashMap<>();
    labels.fields().forEachRemaining(label -> map.put(label.getKey(), label.getValue().asText()));
    return map;
  }

  /** Sets {@code owner}'s {@code Labels} object (a create request's) to {@code labels}. */
  public static ObjectNode putLabels(ObjectNode owner, Map<String, String> labels) {
    ObjectNode node = owner.putObject("Labels");
    labels.forEach(node::put);
    return owner;
  }

  /** {@code value} as one segment of a request path ({@code /} and {@code :} escaped). */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode send(DockerHttpClient.Request.Method method, String path, JsonNode body) {
    DockerHttpClient.Request.Builder request =
        DockerHttpClient.Request.builder().method(method).path(path);
    try {
      if (body != null) {
        // Bytes, not a stream: sent with a length, as docker-java's own commands send theirs.
        request
            .putHeader("Content-Type", "application/json")
            .bodyBytes(Json.MAPPER.writeValueAsBytes(body));
      }
      try (DockerHttpClient.Response response = http.execute(request.build())) {
        int status = response.getStatusCode();
        byte[] answer = response.getBody().readAllBytes();
        if (status < 200 || status > 299) {
          throw failure(status, new String(answer, StandardCharsets.UTF_8));
        }
        return answer.length == 0 ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(answer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As docker-java's typed commands report the statuses k3sbox tells apart. */
  private static DockerException failure(int status, String body) {
    return switch (status) {
      case 404 -> new NotFoundException(body);
      case 409 -> new ConflictException(body);
      default -> new DockerException(body, status);
    };
  }
}
