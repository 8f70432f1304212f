package dev.k3sbox.helm.render;

import java.util.ArrayList;
import java.util.List;

/**
 * The output of one render.
 *
 * @param chartName the {@code name} in Chart.yaml
 * @param release the release name used for rendering
 * @param namespace the release namespace
 * @param manifest the templates as Helm renders them, with {@code # Source:} comments, in pieces
 * @param crds the chart's (and its dependencies') {@code crds/} files, as {@code helm show crds}
 *     prints them, with a {@code # Source:} comment per document where the files can be found
 *     ({@link CrdSources}); Helm leaves them out of the rendered manifest
 */
public record RenderedChart(
    String chartName, String release, String namespace, List<Piece> manifest, List<Piece> crds) {

  /** A render as text only: its documents are parsed from their YAML. */
  public RenderedChart(
      String chartName, String release, String namespace, String manifest, String crds) {
    this(chartName, release, namespace, Piece.split(manifest), Piece.split(crds));
  }

  /** The manifest as {@code helm template} prints it. */
  public String manifestText() {
    return Piece.join(manifest);
  }

  /** The CRDs as {@code helm show crds} prints them. */
  public String crdsText() {
    return Piece.join(crds);
  }

  /**
   * One document of a rendered text with the separator line ({@code ---}) before it, if any: the
   * pieces of a text, one after another, are the text.
   *
   * @param text the piece's text
   * @param json the document as Helm's engine converted it (sigs.k8s.io/yaml): "null" for an empty
   *     one, "" where the strict conversion refused it, null when there is no conversion
   * @param key a short name of the text (Helm's engine gives a digest), or null: equal keys mean
   *     equal texts, so parsing can be shared without comparing megabytes of CRDs
   */
  public record Piece(String text, String json, String key) {
    /** The document: the text without its separator line (from the line's end, as it was split). */
    public String document() {
      int newline = text.indexOf('\n');
      if (!isSeparator(text, 0, newline < 0 ? text.length() : newline)) {
        return text;
      }
      return newline < 0 ? "" : text.substring(newline);
    }

    /**
     * {@code text} in pieces, each starting at a line that is {@code ---} and trailing blanks (as
     * Helm's engine splits it, helm-engine/main.go). A scan of lines, not a regular expression:
     * {@code (?m)^---\\s*$} tried every position of kube-prometheus-stack's 5 MB of CRDs.
     */
    public static List<Piece> split(String text) {
      List<Piece> pieces = new ArrayList<>();
      if (text == null) {
        return pieces;
      }
      int start = 0;
      int line = 0;
      while (true) {
        int newline = text.indexOf('\n', line);
        int end = newline < 0 ? text.length() : newline;
        if (line > start && isSeparator(text, line, end)) {
          pieces.add(new Piece(text.substring(start, line), null, null));
          start = line;
        }
        if (newline < 0) {
          break;
        }
        line = newline + 1;
      }
      pieces.add(new Piece(text.substring(start), null, null));
      return pieces;
    }

    static String join(List<Piece> pieces) {
      StringBuilder text = new StringBuilder();
      pieces.forEach(p -> text.append(p.text()));
      return text.toString();
    }

    private static boolean isSeparator(String text, int from, int to) {
      if (!text.startsWith("---", from) || from + 3 > to) {
        return false;
      }
      for (int i = from + 3; i < to; i++) {
        if (" \t\r\f\u000b".indexOf(text.charAt(i)) < 0) {
          return false;
        }
      }
      return true;
    }
  }
}
