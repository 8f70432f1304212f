package dev.k3sbox.cli.command;

import dev.k3sbox.cli.ExitCode;
import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.image.KubernetesVersion;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.KubeTarget;
import dev.k3sbox.helm.cluster.ObjectRef;
import dev.k3sbox.helm.install.Installer;
import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import dev.k3sbox.helm.render.ChartRenderer;
import dev.k3sbox.helm.render.RenderSpec;
import dev.k3sbox.helm.render.RenderedChart;
import dev.k3sbox.helm.render.SetExpression;
import dev.k3sbox.helm.report.ReportFormat;
import dev.k3sbox.helm.upgrade.UpgradeCheck;
import dev.k3sbox.helm.upgrade.UpgradeReport;
import dev.k3sbox.helm.validate.ChartValidator;
import dev.k3sbox.helm.validate.ScratchPolicy;
import dev.k3sbox.helm.validate.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code k3sbox validate CHART...}: every object of each chart is sent to a real API server as a
 * server-side dry run with strict field validation, and every rejection is reported.
 */
@Command(
    name = "validate",
    description = {
      "Validate every object of a chart against a real API server.",
      "Renders the chart as Helm does for the target cluster and sends each object, hooks and"
          + " tests included, as a server-side dry run with strict field validation. Reports every"
          + " invalid object; leaves the cluster as it was."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every object is valid",
      "1:some object is invalid",
      "2:bad flags, chart path or values file",
      "3:the chart could not be rendered, or the cluster could not be reached"
    })
public final class ValidateCommand implements Callable<Integer> {
  /** The report formats, as -o spells them. */
  enum Format {
    text(ReportFormat.TEXT),
    json(ReportFormat.JSON),
    junit(ReportFormat.JUNIT),
    sarif(ReportFormat.SARIF);

    final ReportFormat format;

    Format(ReportFormat format) {
      this.format = format;
    }
  }

  @Mixin GlobalOptions global;
  @Mixin RenderOptions render;
  @Mixin KubeTargetOptions target;

  @Parameters(
      arity = "1..*",
      paramLabel = "CHART",
      description =
          "Charts as Helm takes them: a folder, a .tgz, an https:// URL of one,"
              + " oci://host/path/chart, repo/name (helm repo add), or a name with --repo.")
  List<String> charts;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text, json, junit or sarif (default: ${DEFAULT-VALUE}).")
  Format output;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Write the --output format to FILE; stdout then gets the text report.")
  Path report;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "16",
      description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--scratch",
      paramLabel = "POLICY",
      description = {
        "What to do with the Namespaces, CRDs and ServiceAccounts made so that others can be"
            + " validated: keep (labelled k3sbox.dev/scratch, reused by the next run; the default"
            + " on a k3sbox cluster) or delete (the default with --kubeconfig)."
      })
  ScratchPolicy scratch;

  @Option(
      names = "--strict",
      description = {
        "Report as invalid what server-side apply refuses but Helm 3's install accepts"
            + " (duplicate env var names or ports); without it they are warnings."
      })
  boolean strict;

  @Option(
      names = "--kube-versions",
      paramLabel = "VERSIONS",
      split = ",",
      description = {
        "Validate on a server of each Kubernetes version, e.g. 1.34,1.37 (1.34 to 1.37; a patch"
            + " like v1.36.1 also works), rendered for each: one report, each object's verdict per"
            + " version and why it differs. Each version runs as the k3sbox cluster NAME-v1-MINOR"
            + " (the --name cluster itself when it runs that version), started in parallel when"
            + " missing and kept for the next run; `k3sbox down` removes them."
      })
  List<String> kubeVersions = new ArrayList<>();

  @Option(
      names = "--values-set",
      paramLabel = "FILE",
      description =
          "A values set: FILE on top of the chart's defaults and the common -f/--set, validated as"
              + " a configuration of its own; repeatable. One report covers every set.")
  List<Path> valuesSets = new ArrayList<>();

  @Option(
      names = "--ci-values",
      description =
          "Add each ci/*-values.yaml of the chart folder as a values set, as chart-testing does"
              + " (the chart's defaults when there is none).")
  boolean ciValues;

  @Option(
      names = "--upgrade-from",
      paramLabel = "OLD",
      description =
          "Check the upgrade from chart OLD (any chart source) to CHART instead: OLD installed on a"
              + " throwaway cluster, CHART applied over it, each object reported as rejected,"
              + " deleted, added, changed or unchanged.")
  String upgradeFrom;

  @Option(
      names = "--upgrade-from-version",
      paramLabel = "VERSION",
      description = "The version of OLD to fetch (a repository or OCI chart).")
  String upgradeFromVersion;

  @Option(
      names = "--upgrade-from-values",
      paramLabel = "FILE",
      description =
          "A values file for OLD; repeatable. With none of these and no --upgrade-from-set, OLD"
              + " gets the same -f and --set as CHART.")
  List<Path> upgradeFromValues = new ArrayList<>();

  @Option(
      names = "--upgrade-from-set",
      paramLabel = "KEY=VALUE",
      converter = RenderOptions.SetConverter.class,
      description = "Set a value for OLD; repeatable.")
  List<SetExpression> upgradeFromSet = new ArrayList<>();

  @Option(
      names = "--upgrade-from-release",
      paramLabel = "RELEASE",
      description =
          "Preview the upgrade of RELEASE, installed by k3sbox install on the target cluster, to"
              + " CHART: dry runs without force, so fields another manager owns show as"
              + " conflicts; nothing changes there.")
  String upgradeFromRelease;

  @Override
  public Integer call() {
    if (upgradeFrom != null && upgradeFromRelease != null) {
      throw new K3sboxException(
          Failure.USAGE,
          "--upgrade-from and --upgrade-from-release cannot be used together; pass one");
    }
    boolean matrix = !kubeVersions.isEmpty() || !valuesSets.isEmpty() || ciValues;
    if (matrix && (upgradeFrom != null || upgradeFromRelease != null)) {
      throw new K3sboxException(
          Failure.USAGE,
          "--kube-versions, --values-set and --ci-values cannot be used with an upgrade check yet;"
              + " run them apart");
    }
    if (matrix) {
      return validateMatrix();
    }
    if (upgradeFromRelease != null) {
      return previewReleaseUpgrade();
    }
    if (upgradeFrom != null) {
      return checkUpgrade();
    }
    checkParallel();
    checkReportWritable();
    Console console = global.console();
    HelmStartup.loadNativeHelm();
    CompletableFuture<ClusterConnection> connecting = HelmStartup.connect(target);
    ChartRenderer renderer = HelmStartup.renderer(console);
    Optional<KubeTarget> renderTarget = HelmStartup.renderTarget(target);
    ManifestParser parser = new ManifestParser();
    List<RenderedChart> rendered = new ArrayList<>();
    List<List<ManifestObject>> objects = new ArrayList<>();
    try {
      for (String chart : charts) {
        RenderedChart r =
            renderer.render(HelmStartup.forTarget(render.spec(chart), renderTarget), renderTarget);
        rendered.add(r);
        objects.add(parser.parse(r));
      }
    } catch (RuntimeException e) {
      // A chart or flag mistake is reported whatever the state of the cluster.
      HelmStartup.abandon(connecting);
      throw e;
    }
    List<ValidationReport> reports = new ArrayList<>();
    try (ClusterConnection connection = HelmStartup.connected(connecting)) {
      ScratchPolicy policy =
          scratch != null
              ? scratch
              : target.isK3sboxCluster() ? ScratchPolicy.KEEP : ScratchPolicy.DELETE;
      ChartValidator validator =
          new ChartValidator(connection, console, parallel, policy).strict(strict);
      for (int i = 0; i < rendered.size(); i++) {
        RenderedChart r = rendered.get(i);
        console.step("validating " + objects.get(i).size() + " objects of " + charts.get(i));
        reports.add(validator.validate(charts.get(i), r.release(), r.namespace(), objects.get(i)));
      }
    }
    write(reports);
    return reports.stream().allMatch(ValidationReport::allValid)
        ? ExitCode.OK.code()
        : ExitCode.INVALID.code();
  }

  /**
   * {@code --kube-versions}, {@code --values-set}, {@code --ci-values}: every values set on every
   * version, as one report (see {@link MatrixRun}).
   */
  private int validateMatrix() {
    if (charts.size() != 1) {
      throw new K3sboxException(
          Failure.USAGE,
          "--kube-versions, --values-set and --ci-values check one chart; pass one CHART (got "
              + charts.size()
              + ")");
    }
    checkParallel();
    List<KubernetesVersion> versions = KubernetesVersion.parseAll(kubeVersions);
    if (!versions.isEmpty() && !target.isK3sboxCluster()) {
      throw new K3sboxException(
          Failure.USAGE,
          "--kube-versions runs k3sbox clusters of each version; it cannot go with --kubeconfig"
              + " (validate on that cluster with --values-set alone)");
    }
    if (render.kubeVersion != null && !versions.isEmpty()) {
      throw new K3sboxException(
          Failure.USAGE,
          "--kube-version and --kube-versions cannot be used together: with --kube-versions each"
              + " version's server gives its own");
    }
    for (int i = 1; i < versions.size(); i++) {
      if (versions.get(i).sameMinor(versions.get(i - 1))) {
        throw new K3sboxException(
            Failure.USAGE,
            "--kube-versions names "
                + versions.get(i - 1)
                + " and "
                + versions.get(i)
                + ": one server runs each minor; pick one patch of "
                + versions.get(i).minorName());
      }
    }
    List<MatrixRun.ValuesSet> sets = valuesSets(charts.get(0));
    checkReportWritable();
    // Before servers are started or images built for nothing: a chart path that is not there.
    refuseMissingPath(charts.get(0));
    Console console = global.console();
    HelmStartup.loadNativeHelm();
    ScratchPolicy policy =
        scratch != null
            ? scratch
            : target.isK3sboxCluster() ? ScratchPolicy.KEEP : ScratchPolicy.DELETE;
    List<ValidationReport> cells =
        new MatrixRun(console, target, parallel, policy, strict)
            .run(charts.get(0), render.spec(charts.get(0)), sets, versions);
    write(cells);
    return cells.stream().allMatch(ValidationReport::allValid)
        ? ExitCode.OK.code()
        : ExitCode.INVALID.code();
  }

  /** The values sets: each --values-set, then with --ci-values the chart's ci/*-values.yaml. */
  private List<MatrixRun.ValuesSet> valuesSets(String chart) {
    List<MatrixRun.ValuesSet> sets = new ArrayList<>();
    for (Path file : valuesSets) {
      if (!Files.isRegularFile(file)) {
        throw new K3sboxException(
            Failure.USAGE, "values set " + file + " not found; check the --values-set path");
      }
      sets.add(new MatrixRun.ValuesSet(file.toString(), file));
    }
    if (ciValues) {
      Path folder = Path.of(chart);
      if (!Files.isDirectory(folder)) {
        throw new K3sboxException(
            Failure.USAGE,
            "--ci-values reads ci/*-values.yaml of a chart folder; " + chart + " is not a folder");
      }
      Path ci = folder.resolve("ci");
      List<Path> files = new ArrayList<>();
      if (Files.isDirectory(ci)) {
        try (var listing = Files.list(ci)) {
          listing
              .filter(p -> p.getFileName().toString().endsWith("-values.yaml"))
              .filter(Files::isRegularFile)
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw new K3sboxException(Failure.USAGE, "cannot list " + ci + ": " + e.getMessage(), e);
        }
      }
      for (Path file : files) {
        sets.add(new MatrixRun.ValuesSet(folder.relativize(file).toString(), file));
      }
      if (files.isEmpty() && sets.isEmpty()) {
        sets.add(MatrixRun.ValuesSet.defaults());
      }
    }
    if (sets.isEmpty()) {
      sets.add(MatrixRun.ValuesSet.defaults());
    }
    return sets;
  }

  /** {@code --upgrade-from-release}: the upgrade of a live release, previewed where it is. */
  private int previewReleaseUpgrade() {
    if (charts.size() != 1) {
      throw new K3sboxException(
          Failure.USAGE,
          "--upgrade-from-release checks one chart; pass one CHART (got " + charts.size() + ")");
    }
    checkReportWritable();
    Console console = global.console();
    HelmStartup.loadNativeHelm();
    CompletableFuture<ClusterConnection> connecting = HelmStartup.connect(target);
    RenderSpec spec = render.spec(charts.get(0)).withRelease(upgradeFromRelease);
    RenderedChart rendered;
    List<ManifestObject> objects;
    try {
      Optional<KubeTarget> renderTarget = HelmStartup.renderTarget(target);
      rendered =
          HelmStartup.renderer(console)
              .render(HelmStartup.forTarget(spec, renderTarget), renderTarget);
      objects = new ManifestParser().parse(rendered);
    } catch (RuntimeException e) {
      HelmStartup.abandon(connecting);
      throw e;
    }
    try (ClusterConnection connection = HelmStartup.connected(connecting)) {
      List<ObjectRef> installed =
          new Installer(connection, console)
              .releaseObjects(upgradeFromRelease, rendered.namespace())
              .orElseThrow(
                  () ->
                      new K3sboxException(
                          Failure.USAGE,
                          "no release "
                              + upgradeFromRelease
                              + " in namespace "
                              + rendered.namespace()
                              + " that k3sbox install put there; check --upgrade-from-release and"
                              + " -n"));
      return write(
          new UpgradeCheck(connection, console, Duration.ofMinutes(2))
              .preview(
                  charts.get(0), upgradeFromRelease, rendered.namespace(), installed, objects));
    }
  }

  /** {@code --upgrade-from}: the upgrade check of one chart (see {@link UpgradeRun}). */
  private int checkUpgrade() {
    if (charts.size() != 1) {
      throw new K3sboxException(
          Failure.USAGE,
          "--upgrade-from checks one chart; pass one CHART (got " + charts.size() + ")");
    }
    checkReportWritable();
    // Before a throwaway cluster is started for nothing: a chart path that is not there.
    refuseMissingPath(charts.get(0));
    refuseMissingPath(upgradeFrom);
    Console console = global.console();
    HelmStartup.loadNativeHelm();
    RenderSpec spec = render.spec(charts.get(0));
    boolean ownValues = !upgradeFromValues.isEmpty() || !upgradeFromSet.isEmpty();
    UpgradeReport upgrade =
        new UpgradeRun(console, target, Duration.ofMinutes(2))
            .run(
                spec,
                release -> {
                  RenderSpec old = spec.withChart(upgradeFrom, upgradeFromVersion);
                  return (ownValues
                          ? old.withValues(upgradeFromValues, upgradeFromSet, List.of())
                          : old)
                      .withRelease(release);
                },
                upgradeFrom);
    return write(upgrade);
  }

  /** The upgrade report in the --output format, to --report or stdout; exit 1 when rejected. */
  private int write(UpgradeReport upgrade) {
    Console console = global.console();
    String document =
        switch (output) {
          case text -> upgrade.text();
          case json -> upgrade.json();
          case junit -> upgrade.junit();
          case sarif -> upgrade.sarif();
        };
    var out = console.out();
    if (report == null) {
      out.print(document);
    } else {
      try {
        Files.writeString(report, document);
      } catch (IOException e) {
        throw new K3sboxException(
            Failure.USAGE,
            "cannot write report " + report + " (" + e.getMessage() + "); pick a writable --report",
            e);
      }
      out.print(upgrade.text());
    }
    out.flush();
    return upgrade.upgradable() ? ExitCode.OK.code() : ExitCode.INVALID.code();
  }

  private void checkParallel() {
    if (parallel < 1) {
      throw new K3sboxException(
          Failure.USAGE, "--parallel " + parallel + " is not positive; pass 1 or more");
    }
  }

  /**
   * A chart given as a path (/..., ./...) that is not there, said before the slow work a run starts
   * with (servers, images); other chart sources are judged by Helm's engine.
   */
  private static void refuseMissingPath(String chart) {
    boolean path = chart.startsWith("/") || chart.startsWith(".");
    if (path && !Files.exists(Path.of(chart))) {
      throw new K3sboxException(
          Failure.USAGE, "chart " + chart + " does not exist; give a chart folder or .tgz");
    }
  }

  /** Before any work: a report that cannot be written would lose every finding at the end. */
  private void checkReportWritable() {
    if (report == null) {
      return;
    }
    Path folder = report.toAbsolutePath().getParent();
    boolean writable =
        Files.exists(report)
            ? Files.isRegularFile(report) && Files.isWritable(report)
            : folder != null && Files.isDirectory(folder) && Files.isWritable(folder);
    if (!writable) {
      throw new K3sboxException(
          Failure.USAGE,
          "cannot write report "
              + report
              + " (its folder is missing or not writable, or it is not a writable file);"
              + " pick a writable --report");
    }
  }

  private void write(List<ValidationReport> reports) {
    var out = global.console().out();
    if (report == null) {
      out.print(output.format.render(reports));
    } else {
      try {
        Files.writeString(report, output.format.render(reports));
      } catch (IOException e) {
        throw new K3sboxException(
            Failure.USAGE,
            "cannot write report " + report + " (" + e.getMessage() + "); pick a writable --report",
            e);
      }
      out.print(ReportFormat.TEXT.render(reports));
    }
    out.flush();
  }
}
