package dev.k3sbox.helm.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.helm.render.RenderedChart.Piece;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Helm's engine (helm-engine/main.go) splits what it renders into pieces and names each by a key;
 * this side splits text the same way where the engine did not (helm-java's fallback, parsing
 * tests). Both test against one file of cases, helm-engine/testdata/pieces.json.
 */
class PieceSplitContractTest {
  private static final Path CASES = Path.of("..", "helm-engine", "testdata", "pieces.json");

  static Stream<JsonNode> cases() throws Exception {
    JsonNode fixture = JsonMapper.builder().build().readTree(Files.readString(CASES));
    return fixture.path("cases").valueStream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldSplitAsHelmsEngineSplits(JsonNode c) {
    // When
    List<Piece> pieces = Piece.split(c.path("text").asString());

    // Then
    assertThat(pieces).extracting(Piece::text).containsExactlyElementsOf(strings(c, "pieces"));
    assertThat(pieces)
        .extracting(Piece::document)
        .containsExactlyElementsOf(strings(c, "documents"));
  }

  private static List<String> strings(JsonNode c, String field) {
    return c.path(field).valueStream().map(JsonNode::asString).toList();
  }
}
