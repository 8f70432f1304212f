package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.api.ApiServer;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerEngines;
import dev.k3sbox.core.engine.ContainerState;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** {@code status}, {@code list} and {@code logs}: what a cluster is, without changing it. */
final class ClusterInspection {
  /** Past this, {@code status} warns: the stand-in settles near 250 MiB, 550 with ~40 CRDs. */
  static final long WARN_MIB = 1024;

  private final StateDir stateDir;
  private final Progress progress;
  private final ContainerEngines engines;

  ClusterInspection(StateDir stateDir, Progress progress, ContainerEngines engines) {
    this.stateDir = stateDir;
    this.progress = progress;
    this.engines = engines;
  }

  /** Every cluster this state dir knows or the engine holds (whoever made it), by name. */
  List<ClusterStatus> list() {
    List<String> names = names();
    if (names.size() <= 1) {
      return names.stream().map(this::status).toList();
    }
    // At once: each running server's status waits ~1 s for the daemon's next memory sample.
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(names.size(), 8));
    try {
      List<Future<ClusterStatus>> statuses = new ArrayList<>();
      names.forEach(name -> statuses.add(pool.submit(() -> status(name))));
      List<ClusterStatus> list = new ArrayList<>();
      for (Future<ClusterStatus> status : statuses) {
        list.add(status.get());
      }
      return list;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new K3sboxException(Failure.INTERRUPTED, "interrupted while listing the clusters", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** The names {@link #list} gives, without a status each (which asks the engine for memory). */
  List<String> names() {
    return ServerLookup.knownNames(stateDir, engines.running(), true).stream()
        .distinct()
        .sorted()
        .filter(ClusterName::isValid)
        .toList();
  }

  ClusterStatus status(String name) {
    ClusterName.validate(name);
    Optional<ClusterRecord> record = ClusterRecord.read(ServerLookup.recordFile(stateDir, name));
    Optional<ContainerEngine> running = engines.running();
    if (running.isEmpty()) {
      String detail =
          "the Docker daemon is not running; `k3sbox up --name "
              + name
              + "` starts it and the cluster";
      return record
          .map(
              r ->
                  new ClusterStatus(
                      name,
                      "stopped",
                      false,
                      r.server(),
                      r.image(),
                      r.kubernetesVersion(),
                      r.privilegeProfile(),
                      r.networkMode(),
                      null,
                      null,
                      null,
                      detail))
          .orElse(ClusterStatus.absent(name, detail));
    }
    ContainerEngine engine = running.get();
    // By name, as `up` finds it: one inspection says all, where a listing by label and then an
    // inspection took two requests and a second JSON binding in a fresh JVM.
    Optional<ContainerState> server;
    try {
      server = ServerLookup.serverByName(engine, name);
    } catch (K3sboxException notLabelled) {
      return ClusterStatus.absent(name, notLabelled.getMessage());
    }
    if (server.isEmpty()) {
      return ClusterStatus.absent(
          name,
          record.isPresent()
              ? "its container was removed behind k3sbox's back; `k3sbox up` recreates it"
              : null);
    }
    engine.prefetch(); // for the storage driver, shown last
    ContainerState c = server.get();
    Map<String, String> labels = c.labels();
    String serverUrl = ServerLookup.serverUrl(labels, ClusterSpec.builder(name).build());
    boolean ready = false;
    String version = record.map(ClusterRecord::kubernetesVersion).orElse(null);
    Path kubeconfigFile = stateDir.kubeconfig(name);
    if (c.running() && Files.isRegularFile(kubeconfigFile)) {
      try {
        ApiServer api =
            new ApiServer(
                Kubeconfig.parse(Files.readString(kubeconfigFile), kubeconfigFile.toString()));
        ready = api.ready();
        version = api.version().orElse(version);
      } catch (IOException | RuntimeException e) {
        ready = false;
      }
    }
    String state;
    String detail = null;
    if (Crashes.isUnhealthy(c, ready)) {
      state = "unhealthy";
      detail =
          "the server is restarting ("
              + c.restartCount()
              + " restarts); see `k3sbox logs --name "
              + name
              + "`";
    } else if (c.running() && record.isEmpty() && !Files.isRegularFile(kubeconfigFile)) {
      // Started without waiting, as an upgrade check starts the next one's server: no `up` has
      // copied its kubeconfig yet, which is not a fault.
      state = "started";
      detail =
          "started and left to boot (an upgrade check's next server is kept so); `k3sbox up --name "
              + name
              + "` waits for it and writes its kubeconfig";
    } else if (c.running()) {
      state = ready ? "running" : "unhealthy";
      detail =
          ready
              ? null
              : "the API server does not answer /readyz yet; see `k3sbox logs --name " + name + "`";
    } else {
      state = "stopped";
      detail = "exited with code " + c.exitCode() + "; `k3sbox up --name " + name + "` starts it";
    }
    Instant started = c.startedAtInstant();
    String uptime =
        c.running() && started != null ? human(Duration.between(started, Instant.now())) : null;
    return new ClusterStatus(
        name,
        state,
        ready,
        serverUrl,
        c.image(),
        version,
        labels.get(Labels.PRIVILEGE),
        labels.get(Labels.NETWORK),
        engine.storageDriver(),
        uptime,
        c.running() ? memory(engine, c.id(), name) : null,
        detail);
  }

  private String memory(ContainerEngine engine, String id, String name) {
    OptionalLong mib = engine.memoryMib(id);
    if (mib.isEmpty()) {
      return null;
    }
    String memory = mib.getAsLong() + " MiB";
    if (mib.getAsLong() > WARN_MIB) {
      progress.warn(
          "the server of cluster "
              + name
              + " uses "
              + memory
              + "; `k3sbox down --name "
              + name
              + "` then `up` starts it afresh (its kept scratch CRDs go with it)");
    }
    return memory;
  }

  /** Streams the server's log lines to {@code sink}; with {@code follow}, until it stops. */
  void logs(String name, boolean follow, Integer tail, Consumer<String> sink) {
    ClusterName.validate(name);
    ContainerEngine engine =
        engines
            .running()
            .orElseThrow(
                () ->
                    new K3sboxException(
                        Failure.DOCKER, "the Docker daemon is not running; `k3sbox up` starts it"));
    ContainerState server =
        ServerLookup.serverByName(engine, name)
            .orElseThrow(
                () ->
                    new K3sboxException(
                        Failure.UNAVAILABLE,
                        "no cluster named " + name + "; `k3sbox up --name " + name + "` makes it"));
    engine.logs(server.id(), follow, tail, sink, 0);
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return (s / 60) + "m";
    }
    return (s / 3600) + "h" + ((s % 3600) / 60) + "m";
  }
}
