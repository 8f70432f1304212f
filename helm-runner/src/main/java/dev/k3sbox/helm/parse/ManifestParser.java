package dev.k3sbox.helm.parse;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.render.RenderedChart;
import dev.k3sbox.helm.render.RenderedChart.Piece;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Splits a rendered chart into objects, remembering the template each one came from. */
public final class ManifestParser {
  private static final String SOURCE = "# Source: ";

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  /**
   * Each document of Helm's engine parsed once per JVM, by its source and its piece's key: a matrix
   * renders one chart a dozen times, the warm JVM validates it again after each edit, and most
   * documents (kube-prometheus-stack's 5 MB of CRDs above all) come out the same each time. A key
   * stands for the piece's text, and so for the JSON the engine made of it. The objects are shared,
   * so nobody may change them (validation and install only read them). Emptied past {@link #KEPT}
   * characters of documents, so that a long-lived JVM does not keep every chart it has seen.
   */
  private static final Map<String, Optional<ManifestObject>> PARSED = new ConcurrentHashMap<>();

  /**
   * Documents without a key (helm-java's renders, YAML given whole), once per parser by their text:
   * parsed from their YAML, or from JSON given with them, which one parser is given alike each
   * time.
   */
  private final Map<String, Optional<ManifestObject>> parsed = new ConcurrentHashMap<>();

  private static final Map<String, Facts> FACTS = new ConcurrentHashMap<>();

  private static final long KEPT = 16L << 20;

  private static final AtomicLong HELD = new AtomicLong();

  /** The chart's CRDs first (Helm installs them before anything else), then its templates. */
  public List<ManifestObject> parse(RenderedChart chart) {
    List<ManifestObject> objects = new ArrayList<>();
    objects.addAll(parse(chart.crds(), chart.chartName() + "/crds"));
    objects.addAll(parse(chart.manifest(), chart.chartName()));
    return objects;
  }

  /** Parses a multi-document YAML; {@code fallbackSource} names documents without a comment. */
  public List<ManifestObject> parse(String yaml, String fallbackSource) {
    return parse(Piece.split(yaml), fallbackSource);
  }

  /**
   * Parses each piece's document, from its JSON where Helm's engine gave one: Jackson reads JSON
   * ~15 times as fast as the YAML parser reads YAML.
   */
  private List<ManifestObject> parse(List<Piece> pieces, String fallbackSource) {
    List<ManifestObject> objects = new ArrayList<>();
    // A document with no comment of its own comes from the file of the one before: Helm prints a
    // crds/ file whole under one comment, however many documents it holds.
    String previous = fallbackSource;
    for (Piece piece : pieces) {
      // The document is cut from the piece only where needed: most pieces of a matrix's later
      // renders are known by key, and a CRD's text is megabytes.
      Facts facts =
          piece.key() == null
              ? Facts.of(piece.document())
              : FACTS.computeIfAbsent(piece.key(), k -> Facts.of(piece.document()));
      String source = facts.source() != null ? facts.source() : previous;
      previous = source;
      if (facts.blank()) {
        continue;
      }
      String asJson = piece.json() == null || piece.json().isEmpty() ? null : piece.json();
      // Once per document: parses running at once for several renders wait for the first.
      (piece.key() != null ? PARSED : parsed)
          .computeIfAbsent(
              source + "\0" + (piece.key() != null ? piece.key() : piece.document()),
              k -> Optional.ofNullable(parseOne(piece.document(), asJson, source)))
          .ifPresent(objects::add);
      if (HELD.get() > KEPT) {
        // Those parsed so far stay with the callers that have them; later ones are parsed anew.
        HELD.set(0);
        PARSED.clear();
        FACTS.clear();
      }
    }
    return objects;
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
    HELD.addAndGet(json != null ? json.length() : document.length());
    return new ManifestObject(source, resource, duplicates);
  }

  private static HelmRunnerException doesNotParse(String source, RuntimeException e) {
    return new HelmRunnerException(
        Kind.RENDER,
        source + " rendered YAML that does not parse (" + firstLine(e) + "); fix the template",
        e);
  }

  /**
   * What a document says of itself: the template named by its own {@code # Source:} comment (null
   * if it has none), and whether it is blank. Kept by piece key: finding them scans every line of a
   * document without a comment, and a matrix parses each of kube-prometheus-stack's 5 MB of CRDs a
   * dozen times.
   */
  private record Facts(String source, boolean blank) {
    static Facts of(String document) {
      String source =
          document
              .lines()
              .filter(l -> l.startsWith(SOURCE))
              .map(l -> l.substring(SOURCE.length()).strip())
              .findFirst()
              .orElse(null);
      return new Facts(source, isBlank(document));
    }
  }

  private static boolean isBlank(String document) {
    return document.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(m);
  }
}
