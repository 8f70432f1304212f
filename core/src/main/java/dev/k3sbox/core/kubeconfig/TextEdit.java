package dev.k3sbox.core.kubeconfig;

import java.util.Comparator;
import java.util.List;

/**
 * Replace text[start, end) with {@code replacement}. All offsets of a batch refer to the text as it
 * was parsed, so {@link #apply} makes the edits from the last to the first: an edit then never
 * moves the text an edit still to come refers to.
 */
record TextEdit(int start, int end, String replacement) {

  /** The text with {@code edits} made and {@code appended} added on a line of its own. */
  static String apply(String text, List<TextEdit> edits, String appended) {
    StringBuilder b = new StringBuilder(text);
    edits.stream()
        .sorted(Comparator.comparingInt(TextEdit::start).thenComparingInt(TextEdit::end).reversed())
        .forEach(e -> b.replace(e.start(), e.end(), e.replacement()));
    if (!appended.isEmpty()) {
      if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') {
        b.append('\n');
      }
      b.append(appended);
    }
    return b.toString();
  }
}
