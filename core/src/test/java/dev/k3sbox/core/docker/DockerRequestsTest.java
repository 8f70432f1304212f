package dev.k3sbox.core.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldEscapeImageReferenceAsOnePathSegment() {
    assertThat(DockerRequests.segment("k3sbox/controlplane-standin:v1.35.4"))
        .isEqualTo("k3sbox%2Fcontrolplane-standin%3Av1.35.4");
    assertThat(DockerRequests.segment("a b")).isEqualTo("a%20b");
  }

  @Test
  void shouldReadLabelsAsDockerJavaReportsThem() throws Exception {
    assertThat(DockerRequests.labels(JSON.readTree("{\"Labels\":{\"a\":\"1\",\"b\":\"\"}}")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", ""));
    // Docker writes null, or leaves the field out, for an object without labels.
    assertThat(DockerRequests.labels(JSON.readTree("{\"Labels\":null}"))).isNull();
    assertThat(DockerRequests.labels(JSON.readTree("{}"))).isNull();
  }

  @Test
  void shouldSendJsonBodyWithItsLengthAndReadTheAnswer() {
    // Given
    Transport daemon = new Transport(201, "{\"Id\":\"abc\",\"Warnings\":[]}");
    DockerRequests requests = DockerRequests.of(client(daemon));

    // When
    var answer = requests.post("/containers/create?name=x", requests.object().put("Image", "i"));

    // Then
    assertThat(answer.path("Id").asText()).isEqualTo("abc");
    DockerHttpClient.Request sent = daemon.requests.get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/containers/create?name=x");
    assertThat(sent.headers()).containsEntry("Content-Type", "application/json");
    assertThat(new String(sent.bodyBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"Image\":\"i\"}");
    assertThat(daemon.closed).isEqualTo(1);
  }

  @Test
  void shouldReportFailuresAsDockerJavaDoes() {
    // 404 on a GET: nothing there
    Transport missing = new Transport(404, "{\"message\":\"No such image: x\"}");
    assertThat(DockerRequests.of(client(missing)).get("/images/x/json")).isEmpty();
    assertThat(missing.closed).isEqualTo(1);

    // 409: the exception k3sbox tells apart, with docker-java's message
    Transport conflict = new Transport(409, "{\"message\":\"name in use\"}");
    assertThatThrownBy(
            () -> DockerRequests.of(client(conflict)).post("/volumes/create", JSON.nullNode()))
        .isInstanceOf(ConflictException.class)
        .hasMessage("Status 409: {\"message\":\"name in use\"}");

    // any other failure: its status, and the daemon's words for DaemonError
    Transport broken = new Transport(500, "{\"message\":\"unable to apply caps\"}");
    assertThatThrownBy(() -> DockerRequests.of(client(broken)).get("/info"))
        .isInstanceOfSatisfying(
            DockerException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(500))
        .satisfies(e -> assertThat(DaemonError.lineOf(e)).isEqualTo("unable to apply caps"));
  }

  private static DockerClientImpl client(DockerHttpClient transport) {
    return (DockerClientImpl)
        DockerClientImpl.getInstance(
            DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix:///nonexistent.sock")
                .build(),
            transport);
  }

  /** A daemon that answers every request with one status and body, and keeps what it was sent. */
  private static final class Transport implements DockerHttpClient {
    final List<Request> requests = new ArrayList<>();
    final int status;
    final String body;
    int closed;

    Transport(int status, String body) {
      this.status = status;
      this.body = body;
    }

    @Override
    public Response execute(Request request) {
      requests.add(request);
      return new Response() {
        @Override
        public int getStatusCode() {
          return status;
        }

        @Override
        public Map<String, List<String>> getHeaders() {
          return Map.of();
        }

        @Override
        public InputStream getBody() {
          return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
          closed++;
        }
      };
    }

    @Override
    public void close() {}
  }
}
