package dev.k3sbox.helm.render;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code --set} style expressions. helm-java takes one key and one value per call, so the
 * comma-separated form {@code a=1,b=2} is split here; {@code --set-string} values become a values
 * map because helm-java types every {@code set} value.
 */
public final class SetExpressions {
  private SetExpressions() {}

  /** Splits {@code a=1,b=2} into its assignments; {@code \,} keeps a comma in a value. */
  public static Map<String, String> assignments(String flag, String expression) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String part : splitUnescaped(expression, ',')) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new HelmRunnerException(
            Kind.USAGE,
            flag
                + " '"
                + expression
                + "' is not KEY=VALUE; write it like "
                + flag
                + " image.tag=1.2.3");
      }
      result.put(part.substring(0, eq), part.substring(eq + 1).replace("\\,", ","));
    }
    return result;
  }

  /** The nested values map that {@code --set-string} expressions describe. */
  public static Map<String, Object> stringValues(List<String> expressions) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (String expression : expressions) {
      assignments("--set-string", expression)
          .forEach((k, v) -> put(root, "--set-string", expression, k, v));
    }
    return root;
  }

  /** Whether a {@code --set} value uses Helm's list syntax, {@code {a,b}}. */
  public static boolean isList(String value) {
    return value.startsWith("{") && value.endsWith("}");
  }

  /**
   * The nested values map of the list-valued {@code --set} assignments. helm-java passes each value
   * through as a string, so {@code hosts={a,b}} would reach the chart as the text "{a,b}"; a values
   * file carries the list instead, typed as Helm types {@code --set} items.
   */
  public static Map<String, Object> listValues(List<String> expressions) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (String expression : expressions) {
      assignments("--set", expression)
          .forEach(
              (k, v) -> {
                if (isList(v)) {
                  put(root, "--set", expression, k, typedList(v));
                }
              });
    }
    return root;
  }

  static List<Object> typedList(String value) {
    String inner = value.substring(1, value.length() - 1);
    List<Object> items = new ArrayList<>();
    if (inner.isEmpty()) {
      return items;
    }
    for (String item : inner.split(",", -1)) {
      items.add(typed(item));
    }
    return items;
  }

  /** Helm's typing of {@code --set} values: booleans, null, integers without a leading zero. */
  private static Object typed(String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    if (v.equals("null")) {
      return null;
    }
    if (v.matches("-?(0|[1-9][0-9]{0,17})")) {
      return Long.parseLong(v);
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static void put(
      Map<String, Object> root, String flag, String expression, String key, Object value) {
    List<String> segments = splitUnescaped(key, '.');
    Map<String, Object> node = root;
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i).replace("\\.", ".");
      if (segment.isEmpty() || segment.contains("[")) {
        throw new HelmRunnerException(
            Kind.USAGE,
            flag
                + " '"
                + expression
                + "': key '"
                + key
                + "' is not a dotted path of names (list indexes are not supported here);"
                + " use a values file (-f) for lists");
      }
      if (i == segments.size() - 1) {
        node.put(segment, value);
      } else {
        Object child = node.computeIfAbsent(segment, s -> new LinkedHashMap<String, Object>());
        if (!(child instanceof Map)) {
          child = new LinkedHashMap<String, Object>();
          node.put(segment, child);
        }
        node = (Map<String, Object>) child;
      }
    }
  }

  private static List<String> splitUnescaped(String s, char separator) {
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
