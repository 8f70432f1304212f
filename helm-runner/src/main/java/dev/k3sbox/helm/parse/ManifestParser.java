package dev.k3sbox.helm.parse;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.render.RenderedChart;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Splits a rendered chart into objects, remembering the template each one came from. */
public final class ManifestParser {
  private static final String SOURCE = "# Source: ";

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  /**
   * Each document parsed once per parser: a matrix run renders one chart a dozen times, and most
   * documents (kube-prometheus-stack's 5 MB of CRDs above all) come out the same each time. The
   * objects are shared, so nobody may change them (validation and install only read them).
   */
  private final Map<String, Optional<ManifestObject>> parsed = new ConcurrentHashMap<>();

  /** The chart's CRDs first (Helm installs them before anything else), then its templates. */
  public List<ManifestObject> parse(RenderedChart chart) {
    List<ManifestObject> objects = new ArrayList<>();
    objects.addAll(parse(chart.crds(), chart.crdsJson(), chart.chartName() + "/crds"));
    objects.addAll(parse(chart.manifest(), chart.manifestJson(), chart.chartName()));
    return objects;
  }

  /** Parses a multi-document YAML; {@code fallbackSource} names documents without a comment. */
  public List<ManifestObject> parse(String yaml, String fallbackSource) {
    return parse(yaml, null, fallbackSource);
  }

  /**
   * As {@link #parse(String, String)}, reading each document from its JSON where Helm's engine gave
   * one ({@code json}, a document each, in order): Jackson reads JSON ~15 times as fast as the YAML
   * parser reads YAML. A list that does not line up with the documents is not used.
   */
  private List<ManifestObject> parse(String yaml, List<String> json, String fallbackSource) {
    List<ManifestObject> objects = new ArrayList<>();
    if (yaml == null) {
      return objects;
    }
    List<String> documents = documents(yaml);
    if (json != null && json.size() != documents.size()) {
      json = null;
    }
    // A document with no comment of its own comes from the file of the one before: Helm prints a
    // crds/ file whole under one comment, however many documents it holds.
    String previous = fallbackSource;
    for (int i = 0; i < documents.size(); i++) {
      String document = documents.get(i);
      String source = sourceOf(document, previous);
      previous = source;
      if (isBlank(document)) {
        continue;
      }
      String asJson = json == null || json.get(i).isEmpty() ? null : json.get(i);
      // Once per document: parses running at once for several renders wait for the first.
      parsed
          .computeIfAbsent(
              source + "\0" + document,
              k -> Optional.ofNullable(parseOne(document, asJson, source)))
          .ifPresent(objects::add);
    }
    return objects;
  }

  /**
   * The documents of a multi-document YAML: the text between lines that are {@code ---} (and
   * trailing blanks). A scan of lines, not a regular expression: {@code (?m)^---\\s*$} tried every
   * position of kube-prometheus-stack's 5 MB of CRDs, a tenth of a matrix run.
   */
  static List<String> documents(String yaml) {
    List<String> documents = new ArrayList<>();
    int start = 0;
    int line = 0;
    while (true) {
      int newline = yaml.indexOf('\n', line);
      int end = newline < 0 ? yaml.length() : newline;
      if (isSeparator(yaml, line, end)) {
        documents.add(yaml.substring(start, line));
        start = end;
      }
      if (newline < 0) {
        break;
      }
      line = newline + 1;
    }
    documents.add(yaml.substring(start));
    return documents;
  }

  private static boolean isSeparator(String yaml, int from, int to) {
    if (!yaml.startsWith("---", from) || from + 3 > to) {
      return false;
    }
    for (int i = from + 3; i < to; i++) {
      if (!Character.isWhitespace(yaml.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * One document as an object, or null for an empty one ({@code ---} then only comments); from
   * {@code json} where not null, else from its YAML.
   */
  private ManifestObject parseOne(String document, String json, String source) {
    GenericKubernetesResource resource;
    List<String> duplicates = List.of();
    try {
      resource =
          serialization.unmarshal(json != null ? json : document, GenericKubernetesResource.class);
    } catch (RuntimeException e) {
      // The strict parser refuses duplicate keys. Only then is the document read again: with
      // them, keep the last value (as Helm and kubectl would) and report each duplicate on the
      // object instead of failing all.
      duplicates = DuplicateKeys.in(document);
      if (duplicates.isEmpty()) {
        throw doesNotParse(source, e);
      }
      try {
        resource =
            serialization.convertValue(
                DuplicateKeys.loadLastWins(document), GenericKubernetesResource.class);
      } catch (RuntimeException again) {
        throw doesNotParse(source, again);
      }
    }
    if (resource == null) {
      return null;
    }
    if (resource.getApiVersion() == null || resource.getKind() == null) {
      throw new HelmRunnerException(
          Kind.RENDER, source + " rendered an object without apiVersion or kind; fix the template");
    }
    return new ManifestObject(source, resource, duplicates);
  }

  private static HelmRunnerException doesNotParse(String source, RuntimeException e) {
    return new HelmRunnerException(
        Kind.RENDER,
        source + " rendered YAML that does not parse (" + firstLine(e) + "); fix the template",
        e);
  }

  private static String sourceOf(String document, String fallback) {
    return document
        .lines()
        .filter(l -> l.startsWith(SOURCE))
        .map(l -> l.substring(SOURCE.length()).strip())
        .findFirst()
        .orElse(fallback);
  }

  private static boolean isBlank(String document) {
    return document.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(m);
  }
}
