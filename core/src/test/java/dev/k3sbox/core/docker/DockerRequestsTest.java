package dev.k3sbox.core.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", "1", "b", ""));
    // Docker writes null, or leaves the field out, for an object without labels.
    assertThat(DockerRequests.labels(JSON.readTree("{\"Labels\":null}"))).isNull();
    assertThat(DockerRequests.labels(JSON.readTree("{}"))).isNull();
  }
}
