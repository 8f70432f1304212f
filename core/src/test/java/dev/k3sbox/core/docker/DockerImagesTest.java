package dev.k3sbox.core.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.core.engine.EngineException;
import dev.k3sbox.core.engine.ImageSummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerImagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldReadAListedImageWithoutItsUntaggedName() throws Exception {
    // Given: a row of GET /images/json, an image both tagged and left dangling by a rebuild
    JsonNode row =
        JSON.readTree(
            """
            {"Id": "sha256:ab", "RepoTags": ["<none>:<none>", "k3sbox/k3s:v1.33.5-k3s1"],
             "Labels": {"dev.k3sbox.image.flavor": "k3s"}, "Size": 73400320, "Created": 1760000000}
            """);

    // When
    ImageSummary image = DockerImages.summaryOf(row);

    // Then
    assertThat(image)
        .isEqualTo(
            new ImageSummary(
                "sha256:ab",
                List.of("k3sbox/k3s:v1.33.5-k3s1"),
                Map.of("dev.k3sbox.image.flavor", "k3s"),
                73400320,
                1760000000));
  }

  @Test
  void shouldReadAnInspectedImagesLabelsFromItsConfig() throws Exception {
    // Given: GET /images/{name}/json, labels under Config, the time in RFC 3339
    JsonNode inspected =
        JSON.readTree(
            """
            {"Id": "sha256:cd", "RepoTags": ["rancher/k3s:v1.33.5-k3s1"], "Size": 5,
             "Created": "2025-10-09T08:53:20.123456789Z", "Config": {"Labels": null}}
            """);

    // When
    ImageSummary image = DockerImages.inspected(inspected);

    // Then
    assertThat(image.labels()).isEmpty();
    assertThat(image.tags()).containsExactly("rancher/k3s:v1.33.5-k3s1");
    assertThat(image.created()).isEqualTo(1760000000L);
  }

  @Test
  void shouldSayWhatALoadLoaded() throws Exception {
    List<JsonNode> answer =
        List.of(
            JSON.readTree("{\"stream\":\"Loaded image: rancher/k3s:v1.33.5-k3s1\\n\"}"),
            JSON.readTree("{\"stream\":\"Loaded image ID: sha256:ef\\n\"}"));

    assertThat(DockerImages.loaded(answer))
        .containsExactly("rancher/k3s:v1.33.5-k3s1", "sha256:ef");
  }

  @Test
  void shouldRefuseALoadTheDaemonRefusedInsideItsAnswer() throws Exception {
    // Given: a 200 answer whose stream carries the refusal
    List<JsonNode> answer =
        List.of(JSON.readTree("{\"errorDetail\":{},\"error\":\"unexpected EOF\"}"));

    // Then
    assertThatThrownBy(() -> DockerImages.loaded(answer))
        .isInstanceOfSatisfying(
            EngineException.class, e -> assertThat(e.reason()).isEqualTo("unexpected EOF"));
  }
}
