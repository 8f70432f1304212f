package dev.k3sbox.helm.upgrade;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which fields of an object differ between two states the server reported, as paths ({@code
 * spec.template.spec.containers[0].image}). What the server keeps for itself (status, resource
 * version, managed fields, generation, the Deployment revision its controller counts) is left out:
 * an object the upgrade does not touch shows no change.
 */
final class ObjectDiff {
  private static final Set<String> SERVER_OWNED_METADATA =
      Set.of("resourceVersion", "managedFields", "generation", "creationTimestamp", "uid");
  private static final Set<String> SERVER_OWNED_ANNOTATIONS =
      Set.of("deployment.kubernetes.io/revision");
  private static final int MOST = 10;

  private ObjectDiff() {}

  static List<String> changedFields(Map<String, Object> before, Map<String, Object> after) {
    List<String> paths = new ArrayList<>();
    diff("", strip(before), strip(after), paths);
    if (paths.size() > MOST) {
      int more = paths.size() - MOST;
      paths = new ArrayList<>(paths.subList(0, MOST));
      paths.add("... and " + more + " more");
    }
    return paths;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> strip(Map<String, Object> object) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(object);
    copy.remove("status");
    Object metadata = copy.get("metadata");
    if (metadata instanceof Map<?, ?> m) {
      Map<String, Object> meta = new java.util.LinkedHashMap<>((Map<String, Object>) m);
      SERVER_OWNED_METADATA.forEach(meta::remove);
      if (meta.get("annotations") instanceof Map<?, ?> a) {
        Map<String, Object> annotations = new java.util.LinkedHashMap<>((Map<String, Object>) a);
        SERVER_OWNED_ANNOTATIONS.forEach(annotations::remove);
        meta.put("annotations", annotations.isEmpty() ? null : annotations);
      }
      copy.put("metadata", meta);
    }
    return copy;
  }

  private static void diff(String path, Object a, Object b, List<String> out) {
    if (Objects.equals(a, b)) {
      return;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      Set<String> keys = new TreeSet<>();
      ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
      mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
      for (String k : keys) {
        diff(path.isEmpty() ? k : path + "." + k, ma.get(k), mb.get(k), out);
      }
    } else if (a instanceof List<?> la && b instanceof List<?> lb && la.size() == lb.size()) {
      for (int i = 0; i < la.size(); i++) {
        diff(path + "[" + i + "]", la.get(i), lb.get(i), out);
      }
    } else {
      out.add(path);
    }
  }
}
