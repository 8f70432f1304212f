package dev.k3sbox.helm.render;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.cluster.KubeTarget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders a chart with the real Helm engine (helm-java, in-process; no helm binary). Helm's errors
 * arrive as {@link IllegalStateException} with Go's text; they are translated here, once, into a
 * one-line {@link HelmRunnerException} that names the chart and values files.
 */
public final class ChartRenderer {
  private static final Pattern VALUES_FILE_ERROR =
      Pattern.compile("failed to parse (\\S+): (?:error converting YAML to JSON: )?(.*)");
  private static final Pattern KUBE_VERSION_ERROR =
      Pattern.compile("could not parse \"(.*)\" as version");

  private final HelmListener listener;

  public ChartRenderer(HelmListener listener) {
    this.listener = listener;
  }

  /**
   * Loads Helm's native library now, with the user's kubeconfig kept out of it (see {@link
   * HelmLibraryLoader}). Rendering does it too; call it first where other threads may start
   * processes meanwhile (the environment is changed for the moment the library loads).
   */
  public static void loadHelm() {
    HelmLibraryLoader.load();
  }

  /** Renders offline, as {@code helm template} does. */
  public RenderedChart render(RenderSpec spec) {
    return render(spec, Optional.empty());
  }

  /**
   * Renders {@code spec} as {@code helm install --dry-run=server} would against {@code target}
   * (offline when empty), with Helm's own engine ({@link HelmEngine}). Without it (no Go to build
   * it), with helm-java's client-only template: no hooks, default capabilities, the target's
   * version only, and a warning saying so.
   */
  public RenderedChart render(RenderSpec spec, Optional<KubeTarget> target) {
    Optional<HelmEngine> engine = HelmEngine.fromEnvironment();
    if (engine.isPresent()) {
      if (!spec.isRemote()) {
        checkInputs(spec);
      }
      listener.step(
          "rendering chart "
              + spec.chart()
              + (target.isPresent() ? " for the target cluster" : " offline"));
      return engine.get().render(spec, target, dependencyCache, listener);
    }
    if (spec.isRemote()) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "chart "
              + spec.chart()
              + " is a reference to fetch, which needs Helm's engine (k3sbox-helm, built with Go"
              + " by ./k3sbox); install Go 1.25+ or pass a chart folder or .tgz");
    }
    RenderedChart rendered = renderWithHelmJava(spec);
    if (!warnedNoEngine) {
      // After the render: a chart or values mistake is still reported in one line.
      warnedNoEngine = true;
      listener.warn(
          "Helm's engine (k3sbox-helm) is not built: rendered with helm-java's client-only"
              + " template, without hooks and with Helm's default API versions; install Go 1.25+"
              + " and run ./k3sbox again to build it");
    }
    return rendered;
  }

  /**
   * The CRDs of {@code spec}'s crds/ folders that its values enable, nothing rendered: what Helm's
   * install creates before it renders. Empty without Helm's engine (helm-java's template renders
   * with default capabilities anyway).
   */
  public Optional<RenderedChart> crdsFolders(RenderSpec spec) {
    Optional<HelmEngine> engine = HelmEngine.fromEnvironment();
    if (engine.isEmpty()) {
      return Optional.empty();
    }
    if (!spec.isRemote()) {
      checkInputs(spec);
    }
    return Optional.of(
        engine
            .get()
            .render(spec, Optional.empty(), dependencyCache, listener, HelmEngine.Pass.CRDS_ONLY));
  }

  /**
   * {@link #render(RenderSpec, Optional)} against {@code target} again, after k3sbox made CRDs
   * there: what it serves is asked again.
   */
  public RenderedChart renderAgain(RenderSpec spec, KubeTarget target) {
    Optional<HelmEngine> engine = HelmEngine.fromEnvironment();
    if (engine.isEmpty()) {
      return render(spec, Optional.of(target));
    }
    listener.step(
        "rendering chart " + spec.chart() + " again, now that its crds/ CRDs are on the cluster");
    return engine
        .get()
        .render(
            spec,
            Optional.of(target),
            dependencyCache,
            listener,
            HelmEngine.Pass.RENDER_REDISCOVERED);
  }

  private boolean warnedNoEngine;
  private Path dependencyCache;

  /** Where chart folders with missing dependencies are copied to have them fetched. */
  public ChartRenderer withDependencyCache(Path cache) {
    this.dependencyCache = cache;
    return this;
  }

  /** A renderer like this one that tells {@code other} of its progress. */
  public ChartRenderer telling(HelmListener other) {
    return new ChartRenderer(other).withDependencyCache(dependencyCache);
  }

  private RenderedChart renderWithHelmJava(RenderSpec spec) {
    checkInputs(spec);
    loadHelm();
    listener.step("rendering chart " + spec.chart());
    String chart = spec.localChart().toAbsolutePath().toString();
    Path setStringFile = null;
    Path listFile = null;
    try {
      String chartName = chartName(spec, Helm.show(chart).chart().call());
      String release = spec.release() != null ? spec.release() : chartName;
      TemplateCommand template =
          Helm.template(chart).withName(release).withNamespace(spec.namespace());
      if (spec.kubeVersion() != null) {
        template.withKubeVersion(spec.kubeVersion());
      }
      spec.valuesFiles().forEach(f -> template.withValuesFile(f.toAbsolutePath()));
      if (!spec.setString().isEmpty()) {
        // helm-java types every set() value, so --set-string goes in as one more values file.
        setStringFile = Files.createTempFile("k3sbox-set-string", ".yaml");
        Files.writeString(
            setStringFile, Serialization.asYaml(SetExpressions.stringValues(spec.setString())));
        template.withValuesFile(setStringFile);
      }
      Map<String, Object> lists = SetExpressions.listValues(spec.set());
      if (!lists.isEmpty()) {
        listFile = Files.createTempFile("k3sbox-set-lists", ".yaml");
        Files.writeString(listFile, Serialization.asYaml(lists));
        template.withValuesFile(listFile);
      }
      for (SetExpression expression : spec.set()) {
        expression
            .assignments()
            .forEach(
                (k, v) -> {
                  if (!SetExpressions.isList(v)) {
                    template.set(k, v);
                  }
                });
      }
      String manifest = template.call();
      String crds =
          CrdSources.annotate(spec.localChart(), chartName, Helm.show(chart).crds().call());
      return new RenderedChart(chartName, release, spec.namespace(), manifest, crds);
    } catch (IllegalStateException e) {
      throw translate(spec, e);
    } catch (IOException e) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "cannot write a temporary values file for --set-string ("
              + e.getMessage()
              + "); set TMPDIR to a writable folder",
          e);
    } finally {
      deleteQuietly(setStringFile);
      deleteQuietly(listFile);
    }
  }

  private static void checkInputs(RenderSpec spec) {
    Path chart = spec.localChart();
    if (!Files.exists(chart)) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "chart "
              + chart
              + " not found; pass a chart directory (with Chart.yaml) or a packaged .tgz");
    }
    if (Files.isDirectory(chart) && !Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      throw new HelmRunnerException(
          Kind.USAGE,
          chart + " has no Chart.yaml; pass a chart directory (helm create makes one) or a .tgz");
    }
    for (Path values : spec.valuesFiles()) {
      if (!Files.isRegularFile(values)) {
        throw new HelmRunnerException(
            Kind.USAGE, "values file " + values + " not found; check the -f/--values path");
      }
    }
  }

  private static String chartName(RenderSpec spec, String chartYaml) {
    Object name = Serialization.unmarshal(chartYaml, Map.class).get("name");
    if (name == null || name.toString().isBlank()) {
      throw new HelmRunnerException(
          Kind.RENDER, "Chart.yaml of " + spec.chart() + " has no name; add 'name: <chart>' to it");
    }
    return name.toString();
  }

  static HelmRunnerException translate(RenderSpec spec, IllegalStateException e) {
    String helm = oneLine(e.getMessage());
    return usageMistake(spec, helm, e).orElseGet(() -> renderFailure(spec, helm, e));
  }

  /** Helm's words for a flag or values mistake, as one line that names the flag to fix. */
  static Optional<HelmRunnerException> usageMistake(RenderSpec spec, String helm, Exception e) {
    return Optional.ofNullable(usageMistakeOrNull(spec, helm, e));
  }

  private static HelmRunnerException usageMistakeOrNull(RenderSpec spec, String helm, Exception e) {
    Matcher values = VALUES_FILE_ERROR.matcher(helm);
    if (values.find()) {
      return new HelmRunnerException(
          Kind.USAGE,
          "values file "
              + values.group(1)
              + " is not valid YAML ("
              + values.group(2)
              + "); fix the file or drop it from -f",
          e);
    }
    if (helm.startsWith("failed parsing --set")) {
      return new HelmRunnerException(
          Kind.USAGE, helm + " in " + spec.set() + "; write each like --set image.tag=1.2.3", e);
    }
    Matcher version = KUBE_VERSION_ERROR.matcher(helm);
    if (version.find()) {
      return new HelmRunnerException(
          Kind.USAGE,
          "--kube-version '" + version.group(1) + "' is not a version; write it like v1.35.0",
          e);
    }
    if (helm.startsWith("release name")) {
      return new HelmRunnerException(Kind.USAGE, helm + "; pass a valid --release", e);
    }
    return null;
  }

  /** A chart that Helm could not render: the chart's mistake, in Helm's words. */
  static HelmRunnerException renderFailure(RenderSpec spec, String helm, Exception e) {
    String withValues =
        spec.valuesFiles().isEmpty()
            ? ""
            : " with values "
                + spec.valuesFiles().stream().map(Path::toString).collect(Collectors.joining(", "));
    return new HelmRunnerException(
        Kind.RENDER,
        "chart "
            + spec.chart()
            + withValues
            + " could not be rendered: "
            + helm
            + "; fix the chart and run again",
        e);
  }

  static String oneLine(String message) {
    String m = message == null ? "unknown Helm error" : message;
    m = m.replace("Use --debug flag to render out invalid YAML", "");
    return m.strip().replaceAll("\\s*\\n\\s*", " ");
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover file in the temp dir is harmless; the render result matters more.
        file.toFile().deleteOnExit();
      }
    }
  }
}
