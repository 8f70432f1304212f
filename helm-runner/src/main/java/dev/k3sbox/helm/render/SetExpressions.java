package dev.k3sbox.helm.render;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values maps that {@link SetExpression}s describe where helm-java's one-key-one-value {@code
 * set} cannot carry them: {@code --set-string} values (helm-java types every {@code set} value) and
 * Helm's list syntax {@code {a,b}}.
 */
public final class SetExpressions {
  private SetExpressions() {}

  /** The nested values map that {@code --set-string} expressions describe. */
  public static Map<String, Object> stringValues(List<SetExpression> expressions) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (SetExpression expression : expressions) {
      expression.assignments().forEach((k, v) -> put(root, expression, k, v));
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
  public static Map<String, Object> listValues(List<SetExpression> expressions) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (SetExpression expression : expressions) {
      expression
          .assignments()
          .forEach(
              (k, v) -> {
                if (isList(v)) {
                  put(root, expression, k, typedList(v));
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
      Map<String, Object> root, SetExpression expression, String key, Object value) {
    List<String> segments = SetExpression.splitUnescaped(key, '.');
    Map<String, Object> node = root;
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i).replace("\\.", ".");
      if (segment.isEmpty() || segment.contains("[")) {
        throw new HelmRunnerException(
            Kind.USAGE,
            expression.flag()
                + " '"
                + expression.text()
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
}
