package dev.k3sbox.cli.command;

import dev.k3sbox.cli.ExitCode;
import dev.k3sbox.cli.output.Console;
import dev.k3sbox.helm.cluster.ApplyOutcome;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.KubeTarget;
import dev.k3sbox.helm.cluster.ObjectRef;
import dev.k3sbox.helm.install.InstallResult;
import dev.k3sbox.helm.install.InstallSpec;
import dev.k3sbox.helm.install.Installer;
import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import dev.k3sbox.helm.render.ChartRenderer;
import dev.k3sbox.helm.render.RenderSpec;
import dev.k3sbox.helm.render.RenderedChart;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code k3sbox install CHART}: server-side apply of a chart, pruning what it no longer renders.
 */
@Command(
    name = "install",
    description = {
      "Install or upgrade a chart by server-side apply.",
      "Applies with field manager k3sbox and runs the chart's hooks in Helm's order. Installing"
          + " again prunes what the chart no longer renders."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:installed",
      "1:the API server rejected some object",
      "2:bad flags, chart path or values file; or the namespace is missing",
      "3:the chart could not be rendered, or the cluster could not be reached"
    })
public final class InstallCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin RenderOptions render;
  @Mixin KubeTargetOptions target;

  @Parameters(paramLabel = "CHART", description = RenderOptions.ONE_CHART)
  String chart;

  @Option(names = "--create-namespace", description = "Create the release namespace if missing.")
  boolean createNamespace;

  @Option(
      names = "--no-hooks",
      description = "Skip the chart's hooks, as helm install --no-hooks (tests never run here).")
  boolean noHooks;

  @Option(
      names = "--wait",
      description = {
        "Wait for what can become ready without nodes: CRDs established, namespaces active,"
            + " services with a cluster IP. Workloads are not waited for on a control-plane-only"
            + " cluster."
      })
  boolean waitForReady;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description = "The longest any one wait may take (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    Console console = global.console();
    HelmStartup.loadNativeHelm();
    CompletableFuture<ClusterConnection> connecting = HelmStartup.connect(target);
    RenderedChart rendered;
    List<ManifestObject> objects;
    ChartRenderer renderer = HelmStartup.renderer(console);
    Optional<KubeTarget> renderTarget = HelmStartup.renderTarget(target);
    RenderSpec spec = HelmStartup.forTarget(render.spec(chart), renderTarget);
    try {
      rendered = renderer.render(spec, renderTarget);
      objects = new ManifestParser().parse(rendered);
    } catch (RuntimeException e) {
      HelmStartup.abandon(connecting);
      throw e;
    }
    InstallResult result;
    try (ClusterConnection connection = HelmStartup.connected(connecting)) {
      Installer installer = new Installer(connection, console);
      // As Helm's install: the chart's crds/ CRDs first, then the chart rendered against a cluster
      // that serves them (a template may ask .Capabilities.APIVersions for its own CRDs). Rendered
      // once before that to know them (what the values enable), and again only when some were new.
      List<ManifestObject> crds = objects.stream().filter(ManifestObject::fromCrdsFolder).toList();
      if (!crds.isEmpty() && renderTarget.isPresent()) {
        installer.createCrds(crds, timeout);
        if (installer.createdCrds()) {
          rendered = renderer.renderAgain(spec, renderTarget.get());
          objects = new ManifestParser().parse(rendered);
        }
      }
      result =
          installer.install(
              rendered.release(),
              rendered.namespace(),
              objects,
              new InstallSpec(createNamespace, waitForReady, timeout, noHooks));
    }
    print(console, rendered, result);
    return result.succeeded() ? ExitCode.OK.code() : ExitCode.INVALID.code();
  }

  private static void print(Console console, RenderedChart rendered, InstallResult result) {
    var out = console.out();
    for (ApplyOutcome a : result.applied()) {
      out.println("applied  " + a.ref().display());
    }
    for (ObjectRef r : result.present()) {
      out.println(
          "kept     "
              + r.display()
              + ": already present, left as it is (Helm creates a chart's crds/ CRDs only when"
              + " missing)");
    }
    for (ObjectRef r : result.pruned()) {
      out.println("pruned   " + r.display());
    }
    for (ApplyOutcome a : result.rejected()) {
      out.println("rejected " + a.ref().display() + ": " + String.join("; ", a.errors()));
    }
    result.notes().forEach(n -> out.println("wait     " + n));
    out.flush();
    if (result.succeeded()) {
      console.done(
          "release "
              + rendered.release()
              + " installed in namespace "
              + rendered.namespace()
              + " ("
              + result.applied().size()
              + " objects)");
    } else {
      console.warn(
          result.rejected().size()
              + " objects were rejected; nothing was pruned. Run 'k3sbox validate' for details");
    }
  }
}
