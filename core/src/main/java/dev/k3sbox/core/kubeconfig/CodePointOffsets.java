package dev.k3sbox.core.kubeconfig;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;

/**
 * Maps the positions the YAML parser reports to offsets in the Java string it parsed.
 *
 * <p>Marks count code points; Java strings count UTF-16 units. The two agree unless the text has
 * characters outside the BMP, and then a table made once maps one to the other: converting from the
 * start of the text for every mark made a merge quadratic in the file's size (29 s for `up` with
 * 300 contexts in the user's kubeconfig, 103 s with 600).
 */
final class CodePointOffsets {
  private final int length;

  /** Code point index → char offset, or null when every code point is one char. */
  private final int[] table;

  private CodePointOffsets(int length, int[] table) {
    this.length = length;
    this.table = table;
  }

  static CodePointOffsets of(String text) {
    int points = text.codePointCount(0, text.length());
    if (points == text.length()) {
      return new CodePointOffsets(text.length(), null);
    }
    int[] table = new int[points + 1];
    for (int i = 0, offset = 0; i < points; i++) {
      table[i] = offset;
      offset += Character.charCount(text.codePointAt(offset));
    }
    table[points] = text.length();
    return new CodePointOffsets(text.length(), table);
  }

  /** The char offset of {@code mark}; a missing mark is the start, one past the end the end. */
  int offset(Optional<Mark> mark) {
    return offset(mark.map(Mark::getIndex).orElse(0));
  }

  int offset(int codePoint) {
    if (table == null) {
      return Math.min(codePoint, length);
    }
    return table[Math.min(codePoint, table.length - 1)];
  }
}
