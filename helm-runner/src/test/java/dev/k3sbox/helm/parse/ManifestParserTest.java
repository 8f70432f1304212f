package dev.k3sbox.helm.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.render.RenderedChart;
import dev.k3sbox.helm.render.RenderedChart.Piece;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
  private final ManifestParser parser = new ManifestParser();

  @Test
  void shouldKeepEachObjectsSourceAndPutCrdsFirst() {
    // Given
    String manifest =
        """
        ---
        # Source: demo/templates/a.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: a
        ---
        # Source: demo/templates/empty.yaml
        # nothing rendered here
        ---
        # Source: demo/templates/b.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: b
          namespace: other
        spec:
          unknownField: 1
        """;
    String crds =
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: w.example.com\n";

    // When
    List<ManifestObject> objects =
        parser.parse(new RenderedChart("demo", "demo", "default", manifest, crds));

    // Then
    assertThat(objects)
        .extracting(ManifestObject::source, ManifestObject::displayName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "demo/crds", "CustomResourceDefinition/w.example.com"),
            org.assertj.core.groups.Tuple.tuple("demo/templates/a.yaml", "ConfigMap/a"),
            org.assertj.core.groups.Tuple.tuple("demo/templates/b.yaml", "Deployment/other/b"));
    assertThat(objects.get(0).isCrd()).isTrue();
    assertThat(objects.get(2).resource().getAdditionalProperties().get("spec"))
        .isEqualTo(Map.of("unknownField", 1));
  }

  @Test
  void shouldNameTheTemplateThatRenderedBrokenYaml() {
    // Given
    String manifest = "---\n# Source: demo/templates/x.yaml\napiVersion: v1\nkind: [\n";

    // Then
    assertThatThrownBy(() -> parser.parse(manifest, "demo"))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessageStartingWith("demo/templates/x.yaml rendered YAML that does not parse");
  }

  @Test
  void shouldFindKeysWrittenTwiceThatParsingWouldDrop() {
    // Given
    String manifest =
        """
        # Source: demo/templates/deploy.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: twice
        spec:
          replicas: 1
          template:
            spec:
              containers:
              - name: a
                image: x
                image: y
          replicas: 3
        """;

    // When
    var object = parser.parse(manifest, "demo").get(0);

    // Then
    assertThat(object.duplicateFields())
        .containsExactly(
            "duplicate field \"spec.template.spec.containers[0].image\" (line 13 of the rendered"
                + " object): only its last value reaches the API server; remove one",
            "duplicate field \"spec.replicas\" (line 14 of the rendered object): only its last"
                + " value reaches the API server; remove one");
  }

  @Test
  void shouldSplitDocumentsOnlyAtSeparatorLines() {
    // Given: separators with trailing blanks, a "---" inside a value, no final newline
    String yaml = "a: 1\n---  \nb: '---'\nc: ---x\n---\n\n---\nd: 2";

    // When
    List<String> documents = Piece.split(yaml).stream().map(Piece::document).toList();

    // Then: as the regular expression (?m)^---\\s*$ split them, blank pieces included
    assertThat(documents).hasSize(4);
    assertThat(documents.get(0)).isEqualTo("a: 1\n");
    assertThat(documents.get(1)).contains("b: '---'").contains("c: ---x");
    assertThat(documents.get(2)).isBlank();
    assertThat(documents.get(3)).contains("d: 2");
  }

  @Test
  void shouldShareOneParsedObjectBetweenEqualDocuments() {
    // Given
    ManifestParser parser = new ManifestParser();
    String yaml =
        "---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";

    // When
    var first = parser.parse(yaml, "c");
    var again = parser.parse(yaml, "c");

    // Then
    assertThat(again.get(0)).isSameAs(first.get(0));
  }

  @Test
  void shouldReadEachDocumentFromTheJsonHelmsEngineGaveWhereItLinesUp() {
    // Given: two documents, their JSON differing from their YAML where YAML 1.1, which Helm's
    // conversion follows, reads octal
    String manifest =
        """
        ---
        # Source: demo/templates/a.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: a
        ---
        # Source: demo/templates/b.yaml
        apiVersion: v1
        kind: Secret
        metadata:
          name: b
          b: 1
          b: 2
        """;
    List<String> json =
        List.of(
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
                + "\"data\":{\"mode\":\"420\"}}",
            ""); // the strict conversion refused b's duplicate key: read from its YAML

    // When
    List<ManifestObject> objects = parser.parse(withJson(manifest, json));

    // Then
    assertThat(objects.get(0).resource().getAdditionalProperties().get("data"))
        .isEqualTo(Map.of("mode", "420"));
    assertThat(objects.get(1).displayName()).isEqualTo("Secret/b");
    assertThat(objects.get(1).duplicateFields()).isNotEmpty();
  }

  @Test
  void shouldSplitIntoPiecesThatAreTheTextAgain() {
    // Given: text before the first separator, separators with trailing blanks, no final newline
    String yaml = "a: 1\n---  \nb: '---'\n---\n\n---\nd: 2";

    // When
    List<Piece> pieces = Piece.split(yaml);

    // Then: helm-engine splits the same way, and `template` prints the pieces joined
    assertThat(pieces)
        .extracting(Piece::text)
        .containsExactly("a: 1\n", "---  \nb: '---'\n", "---\n\n", "---\nd: 2");
    assertThat(new RenderedChart("c", "c", "default", yaml, "").manifestText()).isEqualTo(yaml);
    assertThat(pieces)
        .extracting(Piece::document)
        .containsExactly("a: 1\n", "\nb: '---'\n", "\n\n", "\nd: 2");
  }

  @Test
  void shouldShareTheParsedObjectOfPiecesWithOneKey() {
    // Given: two renders whose pieces Helm's engine named alike
    String yaml =
        "---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
    Piece piece =
        new Piece(
            yaml,
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}",
            "k1");
    RenderedChart first = new RenderedChart("c", "c", "default", List.of(piece), List.of());
    RenderedChart again =
        new RenderedChart(
            "c", "c", "default", List.of(new Piece(yaml, piece.json(), "k1")), List.of());

    // When / Then
    assertThat(parser.parse(again).get(0)).isSameAs(parser.parse(first).get(0));
  }

  @Test
  void shouldShareTheParsedObjectOfAPieceBetweenCommands() {
    // Given: a piece parsed by one command's parser (the warm JVM runs one command after another)
    String yaml =
        "---\n# Source: c/templates/b.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n";
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}";
    RenderedChart earlier =
        new RenderedChart(
            "c", "c", "default", List.of(new Piece(yaml, json, "shared-k2")), List.of());
    ManifestObject parsed = new ManifestParser().parse(earlier).get(0);

    // When: a later command's parser meets a piece of that key
    RenderedChart later =
        new RenderedChart(
            "c", "c", "default", List.of(new Piece(yaml, json, "shared-k2")), List.of());

    // Then: the object parsed then
    assertThat(new ManifestParser().parse(later).get(0)).isSameAs(parsed);
  }

  /** {@code manifest} in pieces, each with the JSON Helm's engine would give it. */
  private static RenderedChart withJson(String manifest, List<String> json) {
    List<Piece> pieces = Piece.split(manifest);
    List<Piece> converted = new java.util.ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      converted.add(new Piece(pieces.get(i).text(), json.get(i), null));
    }
    return new RenderedChart("demo", "demo", "default", converted, List.of());
  }
}
