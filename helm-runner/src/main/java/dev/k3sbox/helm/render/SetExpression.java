package dev.k3sbox.helm.render;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code --set} or {@code --set-string} expression, read once where the flag is given.
 * helm-java takes one key and one value per call, so the comma-separated form {@code a=1,b=2} is
 * split here; the renderer only uses the result.
 *
 * @param flag the flag it came with, for messages
 * @param text the expression as written
 * @param assignments its keys and values, in the order written
 */
public record SetExpression(String flag, String text, Map<String, String> assignments) {
  public SetExpression {
    assignments = Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
  }

  /** Splits {@code a=1,b=2} into its assignments; {@code \,} keeps a comma in a value. */
  public static SetExpression parse(String flag, String text) {
    Map<String, String> assignments = new LinkedHashMap<>();
    for (String part : splitUnescaped(text, ',')) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new HelmRunnerException(
            Kind.USAGE,
            flag + " '" + text + "' is not KEY=VALUE; write it like " + flag + " image.tag=1.2.3");
      }
      assignments.put(part.substring(0, eq), part.substring(eq + 1).replace("\\,", ","));
    }
    return new SetExpression(flag, text, assignments);
  }

  /** As written, so that a list of them reads as the flags did. */
  @Override
  public String toString() {
    return text;
  }

  /** Splits at {@code separator} where it is neither escaped nor inside Helm's list braces. */
  static List<String> splitUnescaped(String s, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    // Helm's list syntax, name={a,b}: commas inside braces belong to the value.
    int braces = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{') {
        braces++;
      } else if (c == '}' && braces > 0) {
        braces--;
      }
      if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == separator) {
        current.append(c).append(separator);
        i++;
      } else if (c == separator && braces == 0) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }
}
