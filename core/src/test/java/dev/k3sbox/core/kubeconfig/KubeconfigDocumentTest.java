package dev.k3sbox.core.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

class KubeconfigDocumentTest {
  private static final String CONTEXTS =
      """
      contexts:
        - name: a
          context: {cluster: a}
        - context:
            cluster: b
          name: b
        # a comment of the user's after b
        - name: c
      current-context: b
      """;

  @Test
  void shouldRefuseTextThatIsNotAMappingOrNotYaml() {
    for (String text : List.of("", "- a\n", "just text", "clusters: [\n")) {
      assertThatThrownBy(() -> KubeconfigDocument.parse(text))
          .as(text)
          .isInstanceOfSatisfying(
              K3sboxException.class, e -> assertThat(e.failure()).isEqualTo(Failure.KUBECONFIG))
          .hasMessageStartingWith("the kubeconfig does not parse (")
          .hasMessageEndingWith("k3sbox left it unchanged: fix it, or pass --no-merge");
    }
  }

  @Test
  void shouldFindTopLevelEntriesOnly() {
    KubeconfigDocument doc = KubeconfigDocument.parse(CONTEXTS);

    assertThat(doc.entry("contexts")).isPresent();
    assertThat(doc.scalarEntry("current-context")).contains("b");
    assertThat(doc.scalarEntry("contexts")).isEmpty();
    assertThat(doc.entry("cluster")).isEmpty();
  }

  @Test
  void shouldRemoveANamedItemWithItsLinesButNotTheCommentAfterIt() {
    // Given
    KubeconfigDocument doc = KubeconfigDocument.parse(CONTEXTS);
    List<TextEdit> edits = new ArrayList<>();

    // When
    int end = doc.removeNamed(sequence(doc, "contexts"), "b", edits);

    // Then
    assertThat(doc.apply(edits, ""))
        .isEqualTo(CONTEXTS.replace("  - context:\n      cluster: b\n    name: b\n", ""));
    assertThat(end).isEqualTo(CONTEXTS.indexOf("current-context"));
  }

  @Test
  void shouldGiveTheIndentOfAnItem() {
    KubeconfigDocument doc = KubeconfigDocument.parse(CONTEXTS);

    assertThat(doc.indentOf(sequence(doc, "contexts").getValue().get(0))).isEqualTo("  ");
  }

  @Test
  void shouldReplaceAValueWhateverItsForm() {
    assertThat(replaced("current-context: prod\nkind: Config\n", "current-context", ": x"))
        .isEqualTo("current-context: x\nkind: Config\n");
    assertThat(replaced("current-context: \"\"\nkind: Config\n", "current-context", ": x"))
        .isEqualTo("current-context: x\nkind: Config\n");
    assertThat(replaced("current-context:\nkind: Config\n", "current-context", ": x"))
        .isEqualTo("current-context: x\nkind: Config\n");
    assertThat(replaced("contexts: []\nkind: Config\n", "contexts", ":\n- a"))
        .isEqualTo("contexts:\n- a\nkind: Config\n");
  }

  @Test
  void shouldNameAnItemByItsNameKey() {
    List<String> names =
        sequence(KubeconfigDocument.parse("l:\n- name: a\n- other: b\n- c\n"), "l")
            .getValue()
            .stream()
            .map(KubeconfigDocument::nameOf)
            .toList();

    assertThat(names).containsExactly("a", null, null);
  }

  private static String replaced(String text, String key, String replacement) {
    KubeconfigDocument doc = KubeconfigDocument.parse(text);
    NodeTuple tuple = doc.entry(key).orElseThrow();
    return doc.apply(List.of(doc.replaceValue(tuple, replacement)), "");
  }

  private static SequenceNode sequence(KubeconfigDocument doc, String key) {
    return (SequenceNode) doc.entry(key).orElseThrow().getValueNode();
  }
}
