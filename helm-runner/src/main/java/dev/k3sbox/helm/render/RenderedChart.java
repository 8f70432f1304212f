package dev.k3sbox.helm.render;

import java.util.List;

/**
 * The output of one render.
 *
 * @param chartName the {@code name} in Chart.yaml
 * @param release the release name used for rendering
 * @param namespace the release namespace
 * @param manifest the templates as Helm renders them, with {@code # Source:} comments
 * @param crds the chart's (and its dependencies') {@code crds/} files, as {@code helm show crds}
 *     prints them, with a {@code # Source:} comment per document where the files can be found
 *     ({@link CrdSources}); Helm leaves them out of the rendered manifest
 * @param manifestJson each document of {@code manifest} as JSON, as Helm's engine converted it
 *     ("null" for an empty one, "" where it could not); null when the renderer gives none
 * @param crdsJson the same for {@code crds}
 */
public record RenderedChart(
    String chartName,
    String release,
    String namespace,
    String manifest,
    String crds,
    List<String> manifestJson,
    List<String> crdsJson) {

  /** A render as text only: its documents are parsed from their YAML. */
  public RenderedChart(
      String chartName, String release, String namespace, String manifest, String crds) {
    this(chartName, release, namespace, manifest, crds, null, null);
  }
}
