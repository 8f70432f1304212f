package dev.k3sbox.cli.command;

import dev.k3sbox.cli.ExitCode;
import dev.k3sbox.cli.output.Console;
import dev.k3sbox.helm.cluster.KubeTarget;
import dev.k3sbox.helm.render.RenderedChart;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code k3sbox template CHART}: the manifest exactly as {@code validate} checks it, in {@code helm
 * template --include-crds} form (CRDs, the release's objects in install order, then hooks and
 * tests, each under its {@code # Source:}).
 */
@Command(
    name = "template",
    description = {
      "Print a chart's manifest exactly as validate checks it.",
      "CRDs, objects, hooks and tests, each under its # Source: comment, rendered for the target"
          + " cluster (its version and APIs, lookup answered by it) when one is up, else offline as"
          + " helm template renders."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:rendered",
      "2:bad flags, chart reference or values file",
      "3:the chart could not be rendered"
    })
public final class TemplateCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin RenderOptions render;
  @Mixin KubeTargetOptions target;

  @Parameters(paramLabel = "CHART", description = RenderOptions.ONE_CHART)
  String chart;

  @Option(names = "--offline", description = "Render as helm template does, without a cluster.")
  boolean offline;

  @Option(names = "--skip-crds", description = "Leave out the CRDs of crds/ folders.")
  boolean skipCrds;

  @Override
  public Integer call() {
    Console console = global.console();
    Optional<KubeTarget> cluster = offline ? Optional.empty() : HelmStartup.renderTarget(target);
    if (!offline && cluster.isEmpty()) {
      console.info("no cluster to render for; rendering offline, as helm template does");
    }
    RenderedChart rendered = HelmStartup.renderer(console).render(render.spec(chart), cluster);
    var out = console.out();
    if (!skipCrds) {
      out.print(rendered.crdsText());
    }
    out.print(rendered.manifestText());
    out.flush();
    return ExitCode.OK.code();
  }
}
