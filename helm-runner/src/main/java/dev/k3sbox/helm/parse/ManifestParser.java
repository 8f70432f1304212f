package dev.k3sbox.helm.parse;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.render.RenderedChart;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Splits a rendered chart into objects, remembering the template each one came from. */
public final class ManifestParser {
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
  private static final String SOURCE = "# Source: ";

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  /** The chart's CRDs first (Helm installs them before anything else), then its templates. */
  public List<ManifestObject> parse(RenderedChart chart) {
    List<ManifestObject> objects = new ArrayList<>();
    objects.addAll(parse(chart.crds(), chart.chartName() + "/crds"));
    objects.addAll(parse(chart.manifest(), chart.chartName()));
    return objects;
  }

  /** Parses a multi-document YAML; {@code fallbackSource} names documents without a comment. */
  public List<ManifestObject> parse(String yaml, String fallbackSource) {
    List<ManifestObject> objects = new ArrayList<>();
    if (yaml == null) {
      return objects;
    }
    // A document with no comment of its own comes from the file of the one before: Helm prints a
    // crds/ file whole under one comment, however many documents it holds.
    String previous = fallbackSource;
    for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
      String source = sourceOf(document, previous);
      previous = source;
      if (isBlank(document)) {
        continue;
      }
      GenericKubernetesResource resource;
      List<String> duplicates = List.of();
      try {
        resource = serialization.unmarshal(document, GenericKubernetesResource.class);
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
        continue;
      }
      if (resource.getApiVersion() == null || resource.getKind() == null) {
        throw new HelmRunnerException(
            Kind.RENDER,
            source + " rendered an object without apiVersion or kind; fix the template");
      }
      objects.add(new ManifestObject(source, resource, duplicates));
    }
    return objects;
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
