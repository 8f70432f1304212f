package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.cluster.ClusterRecord;
import dev.k3sbox.core.cluster.ClusterSpec;
import dev.k3sbox.core.cluster.ClusterStatus;
import dev.k3sbox.core.host.PortCheck;
import dev.k3sbox.core.state.StateDir;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.KubeTarget;
import dev.k3sbox.helm.parse.ManifestParser;
import dev.k3sbox.helm.render.ChartRenderer;
import dev.k3sbox.helm.render.RenderSpec;
import dev.k3sbox.helm.render.RenderedChart;
import dev.k3sbox.helm.upgrade.UpgradeCheck;
import dev.k3sbox.helm.upgrade.UpgradeReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code validate NEW --upgrade-from OLD}: a throwaway k3sbox cluster of its own (so nothing of the
 * user's cluster changes and cluster-scoped objects cannot clash), the two charts rendered for it,
 * the upgrade done there ({@link UpgradeCheck}), the cluster removed afterwards, also on Ctrl-C or
 * SIGTERM. After a SIGKILL the next check removes what it left, which {@code k3sbox list} shows
 * meanwhile as {@code upgrade-<pid>}.
 */
final class UpgradeRun {
  private static final Pattern THROWAWAY = Pattern.compile("upgrade-(\\d+)");
  // Where throwaway clusters look for a free API port: away from 6443 and its neighbours.
  private static final int FIRST_PORT = 20443;

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
    ClusterManager manager = ClusterContext.manager(console);
    removeLeftovers(manager);
    String name = "upgrade-" + ProcessHandle.current().pid();
    ClusterSpec.Builder cluster =
        ClusterSpec.builder(name)
            .apiPort(
                PortCheck.freePortPair("127.0.0.1", FIRST_PORT)
                    .orElseThrow(
                        () ->
                            new K3sboxException(
                                ExitCode.PORT_IN_USE,
                                "no two free ports near "
                                    + FIRST_PORT
                                    + " for the throwaway cluster of the upgrade check")))
            .mergeKubeconfig(false);
    sameImageAsTarget(manager).ifPresent(cluster::image);
    console.step("starting a throwaway cluster " + name + " for the upgrade check");
    manager.up(cluster.build());
    Thread cleanup = new Thread(() -> remove(manager, name), "k3sbox-upgrade-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      KubeTarget throwaway = new KubeTarget(StateDir.fromEnvironment().kubeconfig(name), null);
      ChartRenderer renderer = HelmBridge.renderer(console);
      RenderedChart next = renderer.render(spec, Optional.of(throwaway));
      RenderedChart previous =
          renderer.render(oldSpec.apply(next.release()), Optional.of(throwaway));
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
      remove(manager, name);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs, and finds the cluster gone
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

  /** Throwaway clusters of checks that were killed (their process is gone). */
  private void removeLeftovers(ClusterManager manager) {
    for (ClusterStatus c : manager.list()) {
      Matcher m = THROWAWAY.matcher(c.name());
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        console.info("removing " + c.name() + ", left by an upgrade check that was killed");
        remove(manager, c.name());
      }
    }
  }
}
