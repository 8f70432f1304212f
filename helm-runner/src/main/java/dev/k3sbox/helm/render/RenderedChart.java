package dev.k3sbox.helm.render;

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
 */
public record RenderedChart(
    String chartName, String release, String namespace, String manifest, String crds) {}
