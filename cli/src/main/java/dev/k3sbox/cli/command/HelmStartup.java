package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.image.ImageCatalog;
import dev.k3sbox.core.state.StateDir;
import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.KubeTarget;
import dev.k3sbox.helm.render.CachedHelmLibrary;
import dev.k3sbox.helm.render.ChartRenderer;
import dev.k3sbox.helm.render.HelmEngine;
import dev.k3sbox.helm.render.RenderSpec;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a chart command starts before it renders, and how helm-runner meets the CLI: Helm's
 * native-library cache and the cluster connection made while the chart renders. (Its events go to
 * {@link Console}, a {@code HelmListener}; its errors get their exit codes in {@code
 * ErrorReporter}.)
 */
final class HelmStartup {
  private HelmStartup() {}

  /**
   * Lets Helm's 98 MB native library be extracted once into {@code ~/.k3sbox/cache} rather than
   * into a temporary folder on every run (see {@link CachedHelmLibrary}), and loads it. Call before
   * rendering and before {@link #connect}.
   */
  static void loadNativeHelm() {
    if (HelmEngine.fromEnvironment().isPresent()) {
      // Helm's engine renders in its own process: helm-java's library (0.9 s to load, and a Go
      // runtime that takes SIGINT/SIGTERM from the JVM) is not needed.
      return;
    }
    try {
      StateDir state = StateDir.fromEnvironment();
      Path cache = state.ensure(state.cache());
      System.setProperty(CachedHelmLibrary.CACHE_PROPERTY, cache.toString());
    } catch (K3sboxException e) {
      // An unwritable home only costs the extraction on each run, as without the cache.
    }
    // Before the connection's thread starts: loading changes the environment for a moment, and
    // fabric8 may start a credential plugin (exec) that would inherit it.
    ChartRenderer.loadHelm();
  }

  /**
   * Starts connecting to the target cluster in the background. A cold JVM needs a second or two for
   * the HTTP client and TLS, as long as Helm needs to render; overlapping the two halves the wait.
   * Errors surface only in {@link #connected}, so a bad chart is still reported first.
   */
  static CompletableFuture<ClusterConnection> connect(KubeTargetOptions target) {
    return CompletableFuture.supplyAsync(() -> ClusterConnection.open(target.target()));
  }

  /** The connection {@link #connect} started, or the error that stopped it. */
  static ClusterConnection connected(CompletableFuture<ClusterConnection> connecting) {
    return Joined.value(connecting);
  }

  /**
   * A renderer that renders for the target cluster (its version, its APIs, {@code lookup}) and
   * builds missing chart dependencies in {@code ~/.k3sbox/cache/charts}, never in the user's chart
   * folder.
   */
  static ChartRenderer renderer(HelmListener listener) {
    ChartRenderer renderer = new ChartRenderer(listener);
    try {
      StateDir state = StateDir.fromEnvironment();
      renderer.withDependencyCache(state.ensure(state.cache().resolve("charts")));
    } catch (K3sboxException e) {
      // An unwritable home: a chart without its dependencies is refused with `helm dependency
      // build` named instead.
    }
    return renderer;
  }

  /** The cluster a render is for: the command's target, or none when it cannot be resolved. */
  static Optional<KubeTarget> renderTarget(KubeTargetOptions target) {
    KubeTarget t;
    try {
      t = target.target();
    } catch (RuntimeException e) {
      // The same error comes from the connection, after the chart's own mistakes are reported.
      return Optional.empty();
    }
    // A kubeconfig mistake (a missing context, a proxy k3sbox cannot use) is said now: the render
    // would otherwise meet it first, in client-go's words.
    ClusterConnection.check(t);
    return Optional.of(t);
  }

  /**
   * {@code spec} as a command that validates or installs renders it: for {@code renderTarget}, or
   * when the target cannot be used (no such cluster: its error follows the chart's own mistakes),
   * for the Kubernetes version a {@code k3sbox up} cluster runs, not Helm's offline default
   * (v1.20.0), which would turn a chart's {@code kubeVersion: >=1.25} into a false "fix the chart".
   */
  static RenderSpec forTarget(RenderSpec spec, Optional<KubeTarget> renderTarget) {
    return renderTarget.isEmpty() && spec.kubeVersion() == null
        ? spec.withKubeVersion(ImageCatalog.STANDIN_KUBERNETES_VERSION)
        : spec;
  }

  /** Closes the connection once it is made, when the command fails before using it. */
  static void abandon(CompletableFuture<ClusterConnection> connecting) {
    connecting.thenAccept(ClusterConnection::close);
  }
}
