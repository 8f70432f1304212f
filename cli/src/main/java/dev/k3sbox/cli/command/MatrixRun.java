package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.cluster.ClusterName;
import dev.k3sbox.core.cluster.ClusterRecord;
import dev.k3sbox.core.cluster.ClusterSpec;
import dev.k3sbox.core.docker.DockerDaemon;
import dev.k3sbox.core.image.KubernetesVersion;
import dev.k3sbox.core.state.StateDir;
import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.KubeTarget;
import dev.k3sbox.helm.matrix.MatrixCell;
import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import dev.k3sbox.helm.render.ChartRenderer;
import dev.k3sbox.helm.render.RenderSpec;
import dev.k3sbox.helm.render.RenderedChart;
import dev.k3sbox.helm.validate.ChartValidator;
import dev.k3sbox.helm.validate.ScratchPolicy;
import dev.k3sbox.helm.validate.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code validate CHART --kube-versions ... --values-set ...}: one chart validated for every values
 * set on servers of every Kubernetes version, as one report. Each version's server is a k3sbox
 * cluster: the target cluster when it runs that version, else {@code <name>-v1-37} (started in
 * parallel when missing, its image built when there is none, and kept running for the next run).
 * Each cell is rendered for its server (its {@code .Capabilities}, its {@code lookup}) and
 * validated there; cells of one server share its scratch objects, and the servers work at once.
 */
final class MatrixRun {
  /** Where version servers look for free API ports: from a random place in 24000-25999. */
  private static final int FIRST_PORT = 24000;

  private static final int PORT_SPREAD = 2000;

  /** A values set: its name in reports, and the file it adds ({@code null} for the default). */
  record ValuesSet(String name, Path file) {
    static ValuesSet defaults() {
      return new ValuesSet(MatrixCell.DEFAULT_SET, null);
    }
  }

  /** A server of the matrix: where it is, and how reports name its version. */
  private record Server(KubeTarget target, String version) {}

  private final Console console;
  private final KubeTargetOptions target;
  private final int parallel;
  private final ScratchPolicy scratch;
  private final boolean strict;

  MatrixRun(
      Console console,
      KubeTargetOptions target,
      int parallel,
      ScratchPolicy scratch,
      boolean strict) {
    this.console = console;
    this.target = target;
    this.parallel = parallel;
    this.scratch = scratch;
    this.strict = strict;
  }

  /** Every cell's report: values sets in the order given, each on every version, oldest first. */
  List<ValidationReport> run(
      String chart, RenderSpec base, List<ValuesSet> sets, List<KubernetesVersion> versions) {
    List<Server> servers =
        versions.isEmpty()
            ? List.of(new Server(target.target(), null))
            : versionServers(target.name(), versions);
    // Renders as many at a time as there are cores (Helm's engine is a CPU-bound process each),
    // every server's first set first; each server validates its cells in turn as they arrive
    // (they share its scratch objects), on a thread of its own, so validation overlaps rendering.
    int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
    ExecutorService renderPool = Executors.newFixedThreadPool(cores);
    ExecutorService serverPool = Executors.newFixedThreadPool(servers.size());
    try {
      ManifestParser parser = new ManifestParser();
      ChartRenderer renderers = HelmStartup.renderer(console);
      List<List<CompletableFuture<Rendered>>> cells = new ArrayList<>();
      servers.forEach(server -> cells.add(new ArrayList<>()));
      for (ValuesSet set : sets) {
        RenderSpec spec = withSet(base, set);
        for (int s = 0; s < servers.size(); s++) {
          KubeTarget server = servers.get(s).target();
          ChartRenderer renderer =
              renderers.telling(new CellProgress(console).at(set.name(), servers.get(s).version()));
          cells
              .get(s)
              .add(
                  CompletableFuture.supplyAsync(
                      () -> {
                        try {
                          RenderedChart r = renderer.render(spec, Optional.of(server));
                          return new Rendered(r, parser.parse(r), null);
                        } catch (HelmRunnerException e) {
                          // A values set that does not render is that cell's failure, as
                          // chart-testing reports it: a template's own error, or its file's.
                          // What every cell shares (the chart, the common -f, the cluster) is
                          // the run's.
                          if (isTheSetsOwn(e, set)) {
                            return new Rendered(null, List.of(), e.getMessage());
                          }
                          throw named(set, e);
                        }
                      },
                      renderPool));
        }
      }
      console.step(
          "validating "
              + sets.size()
              + " values set"
              + (sets.size() == 1 ? "" : "s")
              + " on "
              + servers.size()
              + " server"
              + (servers.size() == 1 ? "" : "s"));
      List<CompletableFuture<List<ValidationReport>>> byServer = new ArrayList<>();
      for (int s = 0; s < servers.size(); s++) {
        Server server = servers.get(s);
        List<CompletableFuture<Rendered>> row = cells.get(s);
        byServer.add(
            CompletableFuture.supplyAsync(
                () -> validateOn(chart, base, server, sets, row), serverPool));
      }
      List<ValidationReport> reports = new ArrayList<>();
      for (int i = 0; i < sets.size(); i++) {
        for (var server : byServer) {
          reports.add(Joined.value(server).get(i));
        }
      }
      return reports;
    } finally {
      renderPool.shutdownNow();
      serverPool.shutdownNow();
    }
  }

  /**
   * Progress said with the cell it is about ({@code lean.yaml on v1.36.3: dry-running 109
   * objects}): a matrix renders and validates a dozen cells at once. A server's cells are validated
   * in turn by one validator, which is told the cell it is at. Warnings go as they are: each is
   * said once per command, and the report has them for every cell.
   */
  private static final class CellProgress implements HelmListener {
    private final HelmListener console;
    private volatile String prefix = "";

    CellProgress(HelmListener console) {
      this.console = console;
    }

    /** From now on, about values set {@code set} on {@code version} (null: not known yet). */
    CellProgress at(String set, String version) {
      prefix = set + (version == null ? "" : " on " + MatrixCell.shortVersion(version)) + ": ";
      return this;
    }

    @Override
    public void step(String message) {
      console.step(prefix + message);
    }

    @Override
    public void info(String message) {
      console.info(prefix + message);
    }

    @Override
    public void warn(String message) {
      console.warn(message);
    }
  }

  /** One cell's render and its objects, or why it did not render. */
  private record Rendered(RenderedChart chart, List<ManifestObject> objects, String failure) {}

  private List<ValidationReport> validateOn(
      String chart,
      RenderSpec base,
      Server server,
      List<ValuesSet> sets,
      List<CompletableFuture<Rendered>> cells) {
    List<ValidationReport> reports = new ArrayList<>();
    try (ClusterConnection connection = ClusterConnection.open(server.target())) {
      String version =
          server.version() != null
              ? server.version()
              : connection.client().getKubernetesVersion().getGitVersion();
      CellProgress progress = new CellProgress(console);
      ChartValidator validator =
          new ChartValidator(connection, progress, parallel, scratch)
              .strict(strict)
              .reusingVerdicts();
      for (int i = 0; i < sets.size(); i++) {
        Rendered cell = Joined.value(cells.get(i));
        MatrixCell where = new MatrixCell(sets.get(i).name(), version);
        progress.at(where.valuesSet(), version);
        if (cell.failure() != null) {
          reports.add(
              ValidationReport.unrendered(
                  chart,
                  Objects.requireNonNullElse(base.release(), chartName(chart)),
                  base.namespace(),
                  where,
                  cell.failure()));
          continue;
        }
        reports.add(
            validator
                .validate(chart, cell.chart().release(), cell.chart().namespace(), cell.objects())
                .inCell(where));
      }
    }
    return reports;
  }

  /**
   * A server for each version: the target cluster when it is up and runs that minor, else a cluster
   * of its own. Those not up and ready (never made, stopped by a reboot, crash-looping) go through
   * {@code up}, all at once; a ready one costs {@code up}'s fast path, a request.
   */
  private List<Server> versionServers(String base, List<KubernetesVersion> versions) {
    StateDir state = StateDir.fromEnvironment();
    ClusterManager manager = ClusterManagers.fromEnvironment(console);
    Set<String> up = upNow(manager, base, versions);
    Optional<KubernetesVersion> baseVersion =
        manager
            .recorded(base)
            .filter(r -> up.contains(base))
            .flatMap(r -> KubernetesVersion.ofServer(r.kubernetesVersion()));
    List<String> names = new ArrayList<>();
    List<ClusterSpec> toStart = new ArrayList<>();
    Set<Integer> taken = new HashSet<>();
    int from = FIRST_PORT + 2 * ThreadLocalRandom.current().nextInt(PORT_SPREAD / 2);
    for (KubernetesVersion v : versions) {
      if (baseVersion.filter(v::sameMinor).isPresent()) {
        names.add(base);
        continue;
      }
      String name = derivedName(base, v);
      names.add(name);
      Optional<ClusterRecord> recorded = manager.recorded(name);
      if (recorded.isPresent()) {
        if (KubernetesVersion.ofServer(recorded.get().kubernetesVersion())
            .filter(known -> !v.sameMinor(known))
            .isPresent()) {
          throw new K3sboxException(
              Failure.USAGE,
              "cluster "
                  + name
                  + " runs Kubernetes "
                  + recorded.get().kubernetesVersion()
                  + ", not "
                  + v.minorName()
                  + "; `k3sbox down --name "
                  + name
                  + "` and run again");
        }
        if (!up.contains(name)) {
          toStart.add(recordedSpec(name, recorded.get(), v));
        }
        continue;
      }
      // Ports chosen here, one run's servers apart from each other: parallel starts in one
      // process would otherwise find the same free pair, and on the host network the second
      // server only crash-loops. From a random place, so two runs at once rarely meet either.
      int port = freePortFrom(name, v, from, taken);
      taken.add(port);
      from = port + 2;
      toStart.add(
          ClusterSpec.builder(name)
              .kubernetesVersion(v)
              .apiPort(port)
              .mergeKubeconfig(false)
              .build());
    }
    if (!toStart.isEmpty()) {
      startAll(toStart);
    }
    List<Server> servers = new ArrayList<>();
    for (String name : names) {
      ClusterRecord record =
          manager
              .recorded(name)
              .orElseThrow(
                  () ->
                      new K3sboxException(
                          Failure.NOT_RUNNING, "cluster " + name + " has no record"));
      servers.add(
          new Server(
              new KubeTarget(
                  ClusterManager.readyKubeconfig(
                      state, name, "run `k3sbox up --name " + name + "`"),
                  null),
              record.kubernetesVersion()));
    }
    return servers;
  }

  /**
   * Which of {@code base} and its version servers are recorded and up now, each asked at once (a
   * request each, with a TLS handshake of its own: one after another they held up the first render
   * by a fifth of a second in a fresh JVM).
   */
  private static Set<String> upNow(
      ClusterManager manager, String base, List<KubernetesVersion> versions) {
    List<String> names = new ArrayList<>(List.of(base));
    for (KubernetesVersion v : versions) {
      String name = versionServerName(base, v);
      if (ClusterName.isValid(name)) { // else refused where it is needed (derivedName)
        names.add(name);
      }
    }
    List<CompletableFuture<Optional<String>>> asked = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(names.size());
    try {
      for (String name : names) {
        asked.add(
            CompletableFuture.supplyAsync(
                () ->
                    manager
                        .recorded(name)
                        .flatMap(r -> manager.alreadyUp(recordedSpec(name, r, null)))
                        .map(r -> name),
                pool));
      }
      Set<String> up = new HashSet<>();
      for (var answer : asked) {
        Joined.value(answer).ifPresent(up::add);
      }
      return up;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Where a recorded cluster is: its port and address, its version when one is asked. */
  private static ClusterSpec recordedSpec(
      String name, ClusterRecord record, KubernetesVersion version) {
    return ClusterSpec.builder(name)
        .kubernetesVersion(version)
        .apiPort(record.apiPort())
        .bindAddress(record.bindAddress())
        .mergeKubeconfig(false)
        .build();
  }

  private static int freePortFrom(String name, KubernetesVersion v, int from, Set<Integer> taken) {
    for (int candidate = from; candidate < from + 400; candidate += 2) {
      if (taken.contains(candidate)) {
        continue;
      }
      Optional<Integer> free =
          ClusterManager.freeApiPort(
              ClusterSpec.builder(name).kubernetesVersion(v).apiPort(candidate).build());
      if (free.isPresent() && !taken.contains(free.get())) {
        return free.get();
      }
      if (free.isPresent()) {
        candidate = free.get();
      }
    }
    throw new K3sboxException(
        Failure.PORT_IN_USE,
        "no two free ports near " + from + " for the Kubernetes " + v.minorName() + " server");
  }

  /**
   * Starts the servers in parallel, building the images they need, each through a {@link
   * ClusterManager} of its own: a manager's rollback removes what its invocation made, and one
   * server that fails must not take the others with it. Every start is waited for before the first
   * failure is thrown.
   */
  private void startAll(List<ClusterSpec> specs) {
    long started = System.nanoTime();
    // Once, before the parallel starts: each would otherwise find (or start) the daemon itself.
    DockerDaemon.fromEnvironment(StateDir.fromEnvironment(), console).ensure(true);
    console.step(
        "starting "
            + specs.size()
            + " server"
            + (specs.size() == 1 ? "" : "s")
            + " in parallel: "
            + String.join(", ", specs.stream().map(ClusterSpec::name).toList()));
    ExecutorService pool = Executors.newFixedThreadPool(specs.size());
    try {
      List<CompletableFuture<ClusterRecord>> starts = new ArrayList<>();
      for (ClusterSpec spec : specs) {
        starts.add(
            CompletableFuture.supplyAsync(
                () -> ClusterManagers.fromEnvironment(console).up(spec), pool));
      }
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new))
          .exceptionally(e -> null)
          .join();
      for (var start : starts) {
        Joined.value(start);
      }
    } finally {
      pool.shutdownNow();
    }
    console.info(
        String.format(
            "%d server%s ready in %.1fs (kept running for the next run; `k3sbox list` shows them)",
            specs.size(), specs.size() == 1 ? "" : "s", (System.nanoTime() - started) / 1e9));
  }

  /** {@code default-v1-37}: the version server of cluster {@code base}. */
  static String derivedName(String base, KubernetesVersion version) {
    String name = versionServerName(base, version);
    if (!ClusterName.isValid(name)) {
      throw new K3sboxException(
          Failure.USAGE,
          "cluster name "
              + base
              + " is too long to name its Kubernetes "
              + version.minorName()
              + " server ("
              + name
              + "); use a --name of at most 26 characters with --kube-versions");
    }
    return name;
  }

  private static String versionServerName(String base, KubernetesVersion version) {
    return base + "-v1-" + version.minor();
  }

  private static RenderSpec withSet(RenderSpec base, ValuesSet set) {
    if (set.file() == null) {
      return base;
    }
    List<Path> files = new ArrayList<>(base.valuesFiles());
    files.add(set.file());
    return base.withValues(files, base.set(), base.setString());
  }

  private static boolean isTheSetsOwn(HelmRunnerException e, ValuesSet set) {
    return e.kind() == HelmRunnerException.Kind.RENDER
        || (e.kind() == HelmRunnerException.Kind.USAGE
            && set.file() != null
            && e.getMessage().contains(set.file().toString()));
  }

  /** {@code e}, its message naming the values set it came with. */
  private static HelmRunnerException named(ValuesSet set, HelmRunnerException e) {
    return new HelmRunnerException(e.kind(), "values set " + set.name() + ": " + e.getMessage(), e);
  }

  /** The release name Helm would give: the chart folder's (or archive's) name. */
  private static String chartName(String chart) {
    Path name = Path.of(chart).getFileName();
    return name == null ? chart : name.toString().replaceFirst("-[0-9][^/]*\\.tgz$", "");
  }
}
