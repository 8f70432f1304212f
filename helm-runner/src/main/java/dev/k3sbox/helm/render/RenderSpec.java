package dev.k3sbox.helm.render;

import java.nio.file.Path;
import java.util.List;

/**
 * What to render, with the same meaning as the flags of {@code helm template}.
 *
 * @param chart a chart directory or a packaged {@code .tgz}
 * @param valuesFiles {@code -f/--values}, later files win
 * @param set {@code --set} expressions ({@code a.b=1,c=2}), as {@link SetExpression#parse} reads
 *     them
 * @param setString {@code --set-string} expressions, values kept as strings
 * @param release the release name, or {@code null} for the chart's name
 * @param namespace the release namespace
 * @param kubeVersion the Kubernetes version for {@code .Capabilities}, or {@code null}
 */
public record RenderSpec(
    Path chart,
    List<Path> valuesFiles,
    List<SetExpression> set,
    List<SetExpression> setString,
    String release,
    String namespace,
    String kubeVersion) {

  public RenderSpec {
    valuesFiles = valuesFiles == null ? List.of() : List.copyOf(valuesFiles);
    set = set == null ? List.of() : List.copyOf(set);
    setString = setString == null ? List.of() : List.copyOf(setString);
    namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
  }

  /** A chart rendered with its defaults into namespace {@code default}. */
  public static RenderSpec of(Path chart) {
    return new RenderSpec(chart, List.of(), List.of(), List.of(), null, "default", null);
  }
}
