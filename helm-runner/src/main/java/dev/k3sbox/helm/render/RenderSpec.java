package dev.k3sbox.helm.render;

import java.nio.file.Path;
import java.util.List;

/**
 * What to render, with the same meaning as the flags of {@code helm template}.
 *
 * @param chart a chart reference as Helm takes it: a directory, a packaged {@code .tgz}, an {@code
 *     https://} URL of one, {@code oci://host/path/chart}, {@code repo/name} from the user's Helm
 *     repositories, or a name in {@code repo}
 * @param valuesFiles {@code -f/--values}, later files win
 * @param set {@code --set} expressions ({@code a.b=1,c=2}), as {@link SetExpression#parse} reads
 *     them
 * @param setString {@code --set-string} expressions, values kept as strings
 * @param release the release name, or {@code null} for the chart's name
 * @param namespace the release namespace
 * @param kubeVersion the Kubernetes version for {@code .Capabilities}, or {@code null} for the
 *     target cluster's
 * @param version {@code --version}: the chart version to fetch, or {@code null} for the latest
 * @param repo {@code --repo}: a chart repository URL to find {@code chart} in, or {@code null}
 * @param apiVersions {@code --api-versions}: added to {@code .Capabilities.APIVersions}
 * @param plainHttp {@code --plain-http}: reach an OCI registry over HTTP
 * @param insecureSkipTlsVerify {@code --insecure-skip-tls-verify}: skip a repository's or
 *     registry's certificate check
 */
public record RenderSpec(
    String chart,
    List<Path> valuesFiles,
    List<SetExpression> set,
    List<SetExpression> setString,
    String release,
    String namespace,
    String kubeVersion,
    String version,
    String repo,
    List<String> apiVersions,
    boolean plainHttp,
    boolean insecureSkipTlsVerify) {

  public RenderSpec {
    valuesFiles = valuesFiles == null ? List.of() : List.copyOf(valuesFiles);
    set = set == null ? List.of() : List.copyOf(set);
    setString = setString == null ? List.of() : List.copyOf(setString);
    namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
    apiVersions = apiVersions == null ? List.of() : List.copyOf(apiVersions);
  }

  /** A local chart with these flags, the latest version, no extra API versions. */
  public RenderSpec(
      Path chart,
      List<Path> valuesFiles,
      List<SetExpression> set,
      List<SetExpression> setString,
      String release,
      String namespace,
      String kubeVersion) {
    this(
        chart.toString(),
        valuesFiles,
        set,
        setString,
        release,
        namespace,
        kubeVersion,
        null,
        null,
        List.of(),
        false,
        false);
  }

  /** The same render as release {@code newRelease}. */
  public RenderSpec withRelease(String newRelease) {
    return new RenderSpec(
        chart,
        valuesFiles,
        set,
        setString,
        newRelease,
        namespace,
        kubeVersion,
        version,
        repo,
        apiVersions,
        plainHttp,
        insecureSkipTlsVerify);
  }

  /** The same render for Kubernetes {@code version} ({@code .Capabilities.KubeVersion}). */
  public RenderSpec withKubeVersion(String version) {
    return new RenderSpec(
        chart,
        valuesFiles,
        set,
        setString,
        release,
        namespace,
        version,
        this.version,
        repo,
        apiVersions,
        plainHttp,
        insecureSkipTlsVerify);
  }

  /** The same flags for another chart and version (the old one of an upgrade check). */
  public RenderSpec withChart(String otherChart, String otherVersion) {
    return new RenderSpec(
        otherChart,
        valuesFiles,
        set,
        setString,
        release,
        namespace,
        kubeVersion,
        otherVersion,
        repo,
        apiVersions,
        plainHttp,
        insecureSkipTlsVerify);
  }

  /** The same render with other values: files, then --set-string, then --set. */
  public RenderSpec withValues(
      List<Path> otherValuesFiles,
      List<SetExpression> otherSet,
      List<SetExpression> otherSetString) {
    return new RenderSpec(
        chart,
        otherValuesFiles,
        otherSet,
        otherSetString,
        release,
        namespace,
        kubeVersion,
        version,
        repo,
        apiVersions,
        plainHttp,
        insecureSkipTlsVerify);
  }

  /** A chart rendered with its defaults into namespace {@code default}. */
  public static RenderSpec of(Path chart) {
    return new RenderSpec(chart, List.of(), List.of(), List.of(), null, "default", null);
  }

  /** Whether {@link #chart} names something to fetch rather than a file or folder here. */
  public boolean isRemote() {
    return repo != null
        || chart.startsWith("oci://")
        || chart.startsWith("https://")
        || chart.startsWith("http://")
        || (!chart.startsWith(".")
            && !chart.startsWith("/")
            && chart.indexOf('/') > 0
            && !java.nio.file.Files.exists(Path.of(chart)));
  }

  /** The local chart, for what only a file or folder can do. */
  public Path localChart() {
    return Path.of(chart);
  }
}
