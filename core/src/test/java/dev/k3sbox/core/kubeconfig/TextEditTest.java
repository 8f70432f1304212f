package dev.k3sbox.core.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextEditTest {

  @Test
  void shouldApplyEveryEditAtTheOffsetsOfTheOriginalTextInAnyOrder() {
    // Given: edits in text order, whose replacements change the length
    List<TextEdit> edits =
        List.of(new TextEdit(1, 2, "X"), new TextEdit(4, 5, "YYY"), new TextEdit(6, 6, "!"));

    // When
    String edited = TextEdit.apply("abcdef", edits, "");

    // Then
    assertThat(edited).isEqualTo("aXcdYYYf!");
  }

  @Test
  void shouldInsertAfterARemovedLastItemRatherThanInsideIt() {
    // Given: the last item removed and its replacement inserted where it ended
    List<TextEdit> edits = List.of(new TextEdit(2, 6, ""), new TextEdit(6, 6, "new\n"));

    // When / Then
    assertThat(TextEdit.apply("x\nold\n", edits, "")).isEqualTo("x\nnew\n");
  }

  @Test
  void shouldAppendOnALineOfItsOwn() {
    assertThat(TextEdit.apply("a: 1", List.of(), "b: 2\n")).isEqualTo("a: 1\nb: 2\n");
    assertThat(TextEdit.apply("a: 1\n", List.of(), "b: 2\n")).isEqualTo("a: 1\nb: 2\n");
    assertThat(TextEdit.apply("", List.of(), "b: 2\n")).isEqualTo("b: 2\n");
    assertThat(TextEdit.apply("a: 1", List.of(), "")).isEqualTo("a: 1");
  }
}
