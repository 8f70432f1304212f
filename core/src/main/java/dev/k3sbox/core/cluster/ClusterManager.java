package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.DockerEngines;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerEngines;
import dev.k3sbox.core.engine.EngineException;
import dev.k3sbox.core.kubeconfig.KubeconfigMerger;
import dev.k3sbox.core.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The lifecycle of k3sbox clusters, as the CLI and the helm wing ask for it: {@code up} ({@link
 * ClusterUp}), {@code down} ({@link ClusterDown}), {@code status}, {@code list} and {@code logs}
 * ({@link ClusterInspection}). Each cluster is one labelled server container plus one labelled data
 * volume; state that matters lives in the engine's labels, the state folder only caches what makes
 * {@code up} fast. A failure the engine reports leaves as a {@link K3sboxException}.
 */
public final class ClusterManager {
  private final StateDir stateDir;
  private final ClusterUp up;
  private final ClusterDown down;
  private final ClusterInspection inspection;

  public ClusterManager(
      StateDir stateDir, Progress progress, String k3sboxVersion, KubeconfigMerger merger) {
    this(
        stateDir,
        progress,
        k3sboxVersion,
        merger,
        new DockerEngines(stateDir, progress),
        ServerReadiness::new);
  }

  /** On any engine, waiting with any readiness: the unit tests' fakes. */
  ClusterManager(
      StateDir stateDir,
      Progress progress,
      String k3sboxVersion,
      KubeconfigMerger merger,
      ContainerEngines engines,
      BiFunction<ContainerEngine, Progress, ClusterUp.Readiness> readiness) {
    this.stateDir = stateDir;
    Invocation invocation = Invocation.fresh(k3sboxVersion, stateDir.root().toString());
    this.up = new ClusterUp(stateDir, progress, invocation, merger, engines, readiness);
    this.down = new ClusterDown(stateDir, progress, merger, engines);
    this.inspection = new ClusterInspection(stateDir, progress, engines);
  }

  /**
   * The cluster if it is already up as asked, checked with one HTTPS request and no Docker client:
   * the fast path of {@code up} on a running cluster.
   */
  public Optional<ClusterRecord> alreadyUp(ClusterSpec spec) {
    return up.alreadyUp(spec);
  }

  /**
   * What the last successful {@code up} of {@code name} recorded (its port and bind address among
   * it), if the cluster has not been removed since: what a repair must keep.
   */
  public Optional<ClusterRecord> recorded(String name) {
    return ClusterRecord.read(ServerLookup.recordFile(stateDir, ClusterName.validate(name)));
  }

  /**
   * The first API port from {@code spec}'s (within 200, two apart) at which every port its server
   * binds is free now: for clusters k3sbox names and places itself (an upgrade check's throwaway, a
   * matrix's version servers).
   */
  public static Optional<Integer> freeApiPort(ClusterSpec spec) {
    return ServerPorts.firstFreeApiPort(spec, spec.apiPort(), 200);
  }

  public ClusterRecord up(ClusterSpec spec) {
    return engineSaid(() -> up.up(spec));
  }

  /**
   * Creates and starts a server without waiting for it (see {@code up} for what finishes it): for a
   * cluster wanted soon but not now, such as the next upgrade check's.
   */
  public void start(ClusterSpec spec) {
    engineSaid(
        () -> {
          up.start(spec);
          return null;
        });
  }

  /**
   * {@code up} of the server {@link #start} started as container {@code id}, waiting for its boot;
   * empty (and nothing created) when that container is no longer the cluster's server.
   */
  public Optional<ClusterRecord> finishStarted(ClusterSpec spec, String id) {
    return engineSaid(() -> up.finishStarted(spec, id));
  }

  /** The server container of cluster {@code name}, if there is one; no request to its API. */
  public Optional<StartedServer> started(String name) {
    return engineSaid(() -> up.started(ClusterName.validate(name)));
  }

  /** Which clusters {@code down --all} removes. */
  public enum Scope {
    /** Only the clusters named. */
    NAMED,
    /** Every cluster of this state dir: those it has a folder for, or whose label names it. */
    STATE_DIR,
    /** Every cluster k3sbox labelled on the daemon, whoever made it. */
    DAEMON
  }

  /** Removes clusters; returns the names removed. Idempotent: absent clusters are no error. */
  public List<String> down(List<String> names, Scope scope, boolean keepData, boolean stopDocker) {
    return engineSaid(() -> down.down(names, scope, keepData, stopDocker));
  }

  /**
   * Every k3sbox cluster this state dir knows or the daemon holds (whoever made it), each as {@link
   * #status} sees it, by name.
   */
  public List<ClusterStatus> list() {
    return engineSaid(inspection::list);
  }

  /**
   * The names of the clusters {@link #list} shows, without their status: a status asks the engine
   * for the server's memory use, which takes the daemon a second or so per container.
   */
  public List<String> names() {
    return engineSaid(inspection::names);
  }

  public ClusterStatus status(String name) {
    return engineSaid(() -> inspection.status(name));
  }

  /** Streams the server's log lines to {@code sink}; with {@code follow}, until it stops. */
  public void logs(String name, boolean follow, Integer tail, Consumer<String> sink) {
    engineSaid(
        () -> {
          inspection.logs(name, follow, tail, sink);
          return null;
        });
  }

  /** The kubeconfig file of a cluster that {@code up} made ready. */
  public Path kubeconfigFile(String name) {
    return readyKubeconfig(stateDir, name, null);
  }

  /**
   * The kubeconfig file of cluster {@code name}, for any command that needs one; without Docker, so
   * that commands that only talk to the API server start quickly.
   *
   * @param otherwise a second way out for the error line, e.g. "pass --kubeconfig"; may be null
   */
  public static Path readyKubeconfig(StateDir stateDir, String name, String otherwise) {
    Path file = stateDir.kubeconfig(ClusterName.validate(name));
    if (!Files.isRegularFile(file)) {
      throw new K3sboxException(
          Failure.UNAVAILABLE,
          "no k3sbox cluster named "
              + name
              + " is up; run `k3sbox up --name "
              + name
              + "`"
              + (otherwise == null ? "" : " or " + otherwise));
    }
    return file;
  }

  /** Runs a lifecycle step; what the engine refused is said in one line, the daemon's words. */
  private static <T> T engineSaid(Supplier<T> step) {
    try {
      return step.get();
    } catch (EngineException e) {
      throw new K3sboxException(
          e.status() == 0 ? Failure.DOCKER : Failure.UNAVAILABLE,
          "Docker refused a request: " + e.reason(),
          e);
    }
  }
}
