package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.cluster.ClusterRecord;
import dev.k3sbox.core.cluster.ClusterSpec;
import dev.k3sbox.core.state.StateDir;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.KubeTarget;
import dev.k3sbox.helm.install.CrdSeed;
import dev.k3sbox.helm.install.Installer;
import dev.k3sbox.helm.parse.ManifestParser;
import dev.k3sbox.helm.render.ChartRenderer;
import dev.k3sbox.helm.render.RenderSpec;
import dev.k3sbox.helm.render.RenderedChart;
import dev.k3sbox.helm.upgrade.UpgradeCheck;
import dev.k3sbox.helm.upgrade.UpgradeReport;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code validate NEW --upgrade-from OLD}: a throwaway k3sbox cluster of its own (so nothing of the
 * user's cluster changes and cluster-scoped objects cannot clash), the two charts rendered for it,
 * the upgrade done there ({@link UpgradeCheck}), the cluster removed afterwards, also on Ctrl-C or
 * SIGTERM. After a SIGKILL the next check removes what it left, which {@code k3sbox list} shows
 * meanwhile as {@code upgrade-check-<pid>}.
 */
final class UpgradeRun {
  private static final Pattern THROWAWAY = Pattern.compile("upgrade-check-(\\d+)");
  // Where throwaway clusters look for a free API port: away from 6443 and its neighbours, from a
  // random place in it, so that two checks started together rarely pick the same pair.
  private static final int FIRST_PORT = 20443;
  private static final int PORT_SPREAD = 2000;

  private final Console console;
  private final KubeTargetOptions target;
  private final Duration timeout;

  UpgradeRun(Console console, KubeTargetOptions target, Duration timeout) {
    this.console = console;
    this.target = target;
    this.timeout = timeout;
  }

  /** The report of upgrading from {@code from} (rendered by {@code oldSpec}) to {@code spec}. */
  UpgradeReport run(RenderSpec spec, Function<String, RenderSpec> oldSpec, String from) {
    ClusterManager manager = ClusterManagers.fromEnvironment(console);
    // The old chart's crds/ CRDs (Helm's engine, nothing rendered), asked at once: which spare
    // server will do depends on them, and Helm's install makes them before it renders.
    ChartRenderer renderer = HelmStartup.renderer(console);
    Optional<String> release = releaseBeforeRendering(spec);
    CompletableFuture<CrdSeed> oldCrds =
        CompletableFuture.supplyAsync(
            () ->
                renderer
                    .crdsFolders(oldSpec.apply(release.orElse("crds")))
                    .map(CrdSeed::of)
                    .orElse(CrdSeed.none()));
    removeLeftovers(manager);
    Optional<String> image = sameImageAsTarget(manager);
    Optional<SpareServer> spare =
        SpareServer.enabled()
            ? SpareServer.claim(StateDir.fromEnvironment(), manager, console)
            : Optional.empty();
    try {
      if (spare.isEmpty()) {
        String name = "upgrade-check-" + ProcessHandle.current().pid();
        console.step("starting a throwaway cluster " + name + " for the upgrade check");
        start(manager, name, image);
        return check(manager, name, renderer, spec, oldSpec, from, oldCrds, false);
      }
      IntFunction<ClusterSpec> spareAt = checkServer(SpareServer.NAME, image);
      boolean seeded =
          spare
              .get()
              .ready(
                  image,
                  spareAt,
                  () -> start(manager, SpareServer.NAME, image),
                  Joined.value(oldCrds).digest());
      try {
        return check(manager, SpareServer.NAME, renderer, spec, oldSpec, from, oldCrds, seeded);
      } finally {
        if (!shuttingDown()) {
          spare.get().startNext(spareAt, portFrom(), Joined.value(oldCrds));
        }
      }
    } finally {
      spare.ifPresent(SpareServer::close);
    }
  }

  /**
   * The check on the started cluster {@code name}, which is removed afterwards. {@code seeded}: the
   * cluster has the old chart's crds/ CRDs ({@code oldCrds}) already, given ahead of the check.
   */
  private UpgradeReport check(
      ClusterManager manager,
      String name,
      ChartRenderer renderer,
      RenderSpec spec,
      Function<String, RenderSpec> oldSpec,
      String from,
      CompletableFuture<CrdSeed> oldCrds,
      boolean seeded) {
    Removal removal = new Removal(manager, name);
    Thread cleanup = new Thread(removal::inHook, "k3sbox-upgrade-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      KubeTarget throwaway = new KubeTarget(StateDir.fromEnvironment().kubeconfig(name), null);
      Optional<String> release = releaseBeforeRendering(spec);
      // As Helm's install of the old release: its crds/ CRDs made before it renders, so that both
      // charts render against a server that serves them (as the real upgrade's does).
      CrdSeed crds = Joined.value(oldCrds);
      if (!seeded && !crds.isEmpty()) {
        console.step(
            "creating the old chart's crds/ CRDs before rendering, as Helm's install does");
        try (ClusterConnection connection = ClusterConnection.open(throwaway)) {
          new Installer(connection, console).createCrds(crds.objects(), timeout);
        }
      }
      // Both at once when the release name is known before the new chart renders (it names the
      // old release too): each render is a few hundred milliseconds of Helm's engine.
      CompletableFuture<RenderedChart> early =
          release.isPresent()
              ? CompletableFuture.supplyAsync(
                  () -> renderer.render(oldSpec.apply(release.get()), Optional.of(throwaway)))
              : null;
      RenderedChart next = renderer.render(spec, Optional.of(throwaway));
      RenderedChart previous =
          early != null && release.get().equals(next.release())
              ? Joined.value(early)
              : renderer.render(oldSpec.apply(next.release()), Optional.of(throwaway));
      ManifestParser parser = new ManifestParser();
      try (ClusterConnection connection = ClusterConnection.open(throwaway)) {
        return new UpgradeCheck(connection, console, timeout)
            .run(
                spec.chart(),
                from,
                next.release(),
                next.namespace(),
                parser.parse(previous),
                parser.parse(next));
      }
    } finally {
      removal.once();
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs, and finds the removal done
      }
    }
  }

  /**
   * The release name the new chart renders with: the one given, or the {@code name} of a chart
   * folder's Chart.yaml; empty when only rendering tells (a packaged or remote chart).
   */
  static Optional<String> releaseBeforeRendering(RenderSpec spec) {
    if (spec.release() != null) {
      return Optional.of(spec.release());
    }
    if (spec.isRemote()) {
      return Optional.empty();
    }
    // A guess from the top-level `name:` line; the caller renders again if it was wrong.
    try {
      return Files.readAllLines(spec.localChart().resolve("Chart.yaml")).stream()
          .filter(line -> line.startsWith("name:"))
          .map(line -> line.substring("name:".length()).strip().replaceAll("^[\"']|[\"']$", ""))
          .filter(name -> !name.isEmpty())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a .tgz, or a Chart.yaml the render will complain about
    }
  }

  /** Whether the JVM is exiting (Ctrl-C, SIGTERM): no new server is started then. */
  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  /** A random place near 20443 to look for a free port pair from. */
  private static int portFrom() {
    return FIRST_PORT
        + 2 * java.util.concurrent.ThreadLocalRandom.current().nextInt(PORT_SPREAD / 2);
  }

  /** Starts the throwaway cluster on a free port pair, from a random place near 20443. */
  private void start(ClusterManager manager, String name, Optional<String> image) {
    FreePortStart.up(
        manager,
        checkServer(name, image),
        portFrom(),
        "the throwaway cluster of the upgrade check");
  }

  /** An upgrade check's cluster {@code name} on a port: {@code image}, its context not merged. */
  static IntFunction<ClusterSpec> checkServer(String name, Optional<String> image) {
    return port -> {
      ClusterSpec.Builder cluster = ClusterSpec.builder(name).apiPort(port).mergeKubeconfig(false);
      image.ifPresent(cluster::image);
      return cluster.build();
    };
  }

  /**
   * The throwaway cluster's removal, done once whichever comes first: the check's end, or a
   * shutdown hook on Ctrl-C or SIGTERM. The hook waits for a removal already under way (the JVM
   * exits when hooks return), and never prints a stack trace.
   */
  private final class Removal {
    private final ClusterManager manager;
    private final String name;
    private boolean done;

    Removal(ClusterManager manager, String name) {
      this.manager = manager;
      this.name = name;
    }

    synchronized void once() {
      if (!done) {
        done = true;
        remove(manager, name);
      }
    }

    void inHook() {
      try {
        once();
      } catch (RuntimeException e) {
        console.warn(
            "could not remove the throwaway cluster "
                + name
                + " ("
                + e.getMessage()
                + "); `k3sbox down --name "
                + name
                + "` removes it");
      }
    }
  }

  /**
   * The target cluster's image when it is a k3sbox cluster: the check then runs the Kubernetes
   * version the chart is developed against. Otherwise the image `up` picks.
   */
  private Optional<String> sameImageAsTarget(ClusterManager manager) {
    return target.isK3sboxCluster()
        ? manager.recorded(target.name()).map(ClusterRecord::image)
        : Optional.empty();
  }

  private void remove(ClusterManager manager, String name) {
    manager.down(List.of(name), ClusterManager.Scope.NAMED, false, false);
  }

  /**
   * Throwaway clusters of checks that were killed (their process is gone), of this state dir only:
   * on a daemon shared with other users or CI jobs (other state dirs, other process namespaces),
   * theirs are not ours to judge. A cluster of this state dir has its record here.
   */
  private void removeLeftovers(ClusterManager manager) {
    for (String name : manager.names()) {
      Matcher m = THROWAWAY.matcher(name);
      if (m.matches()
          && manager.recorded(name).isPresent()
          && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        console.info("removing " + name + ", left by an upgrade check that was killed");
        remove(manager, name);
      }
    }
  }
}
