package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.api.ApiServer;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerEngines;
import dev.k3sbox.core.engine.ContainerState;
import dev.k3sbox.core.image.KubernetesVersion;
import dev.k3sbox.core.image.ServerImage;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import dev.k3sbox.core.kubeconfig.KubeconfigMerger;
import dev.k3sbox.core.state.ProcessLock;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code up}: the decisions that make a cluster ready. A running one is checked with one HTTPS
 * request ({@link #alreadyUp}); otherwise, under the cluster's lock, its server container is
 * created when missing (a removed one is repaired on its data volume) or reused ({@link
 * ServerReuse}: started if stopped, recreated if crash-looping), then waited for; what this run
 * created is rolled back if it fails or is interrupted.
 */
final class ClusterUp {
  /** Waits until a started server is ready. */
  interface Readiness {
    Ready awaitReady(ServerInstance server, String serverUrl, Duration timeout);
  }

  /** A ready server: its kubeconfig (URL rewritten) and the version it reported. */
  record Ready(Kubeconfig kubeconfig, Optional<String> version) {}

  private final StateDir stateDir;
  private final Progress progress;
  private final Invocation invocation;
  private final KubeconfigMerger merger;
  private final ContainerEngines engines;
  private final BiFunction<ContainerEngine, Progress, Readiness> readiness;
  private final ClusterFiles files;

  ClusterUp(
      StateDir stateDir,
      Progress progress,
      Invocation invocation,
      KubeconfigMerger merger,
      ContainerEngines engines,
      BiFunction<ContainerEngine, Progress, Readiness> readiness) {
    this.stateDir = stateDir;
    this.progress = progress;
    this.invocation = invocation;
    this.merger = merger;
    this.engines = engines;
    this.readiness = readiness;
    this.files = new ClusterFiles(stateDir, merger, progress);
  }

  /**
   * The cluster if it is already up as asked, checked with one HTTPS request and no engine: the
   * fast path of {@code up} on a running cluster.
   */
  Optional<ClusterRecord> alreadyUp(ClusterSpec spec) {
    Optional<ClusterRecord> record =
        ClusterRecord.read(ServerLookup.recordFile(stateDir, spec.name()));
    Path kubeconfigFile = stateDir.kubeconfig(spec.name());
    if (record.isEmpty() || !Files.isRegularFile(kubeconfigFile) || !matches(record.get(), spec)) {
      return Optional.empty();
    }
    try {
      Kubeconfig k = Kubeconfig.parse(Files.readString(kubeconfigFile), kubeconfigFile.toString());
      if (!new ApiServer(k).ready()) {
        return Optional.empty();
      }
      if (spec.mergeKubeconfig()) {
        merger.upsert(ClusterName.context(spec.name()), k);
      }
      return record;
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // anything odd: take the slow path, which repairs
    }
  }

  ClusterRecord up(ClusterSpec spec) {
    refuseOtherVersion(spec);
    // The fast path's merge edits the kubeconfig as checkEditable would check it: no check first.
    Optional<ClusterRecord> running = alreadyUp(spec);
    if (running.isPresent()) {
      return running.get();
    }
    if (spec.mergeKubeconfig()) {
      // A kubeconfig k3sbox cannot edit fails the run before anything is created, not after.
      merger.checkEditable(ClusterName.context(spec.name()));
    }
    try (ProcessLock lock = stateDir.lockCluster(spec.name(), progress)) {
      running = alreadyUp(spec); // another k3sbox may have made it while we waited
      if (running.isPresent()) {
        return running.get();
      }
      ContainerEngine engine = engines.ensureRunning(spec.mayInstallDocker());
      Optional<ContainerState> existing = ServerLookup.serverByName(engine, spec.name());
      ServerInstance server =
          existing.isPresent()
              ? new ServerReuse(engine, progress, s -> create(engine, s))
                  .reuse(existing.get(), spec)
              : create(engine, spec);
      return finish(engine, server, spec);
    }
  }

  /**
   * {@code up} of a server {@link #start} started, only while it is the container {@code id}: empty
   * when it was removed or replaced meanwhile, and then nothing is created.
   */
  Optional<ClusterRecord> finishStarted(ClusterSpec spec, String id) {
    try (ProcessLock lock = stateDir.lockCluster(spec.name(), progress)) {
      ContainerEngine engine = engines.ensureRunning(false);
      Optional<ContainerState> existing = ServerLookup.serverByName(engine, spec.name());
      if (existing.isEmpty() || !existing.get().id().equals(id) || !existing.get().running()) {
        return Optional.empty();
      }
      ServerInstance server =
          new ServerReuse(engine, progress, s -> create(engine, s)).reuse(existing.get(), spec);
      return Optional.of(finish(engine, server, spec));
    }
  }

  /**
   * Creates and starts the server of {@code spec} without waiting for it to boot: a later {@code
   * up} of the same spec finds it running (booted or still booting) and finishes it. Nothing
   * happens when a server of that name exists.
   */
  void start(ClusterSpec spec) {
    try (ProcessLock lock = stateDir.lockCluster(spec.name(), progress)) {
      ContainerEngine engine = engines.ensureRunning(spec.mayInstallDocker());
      if (ServerLookup.serverByName(engine, spec.name()).isEmpty()) {
        create(engine, spec);
      }
    }
  }

  /** The server container of cluster {@code name}, if there is one. */
  Optional<StartedServer> started(String name) {
    return engines
        .running()
        .flatMap(engine -> ServerLookup.serverByName(engine, name))
        .map(
            c ->
                new StartedServer(
                    c.id(),
                    c.image(),
                    Integer.parseInt(c.labels().getOrDefault(Labels.API_PORT, "0")),
                    c.running()));
  }

  /**
   * {@code up --kubernetes-version} for a cluster made with another version: a server is not
   * upgraded or downgraded in place (etcd's data would have to follow), so it is said, not done.
   */
  private void refuseOtherVersion(ClusterSpec spec) {
    if (spec.kubernetesVersion().isEmpty()) {
      return;
    }
    KubernetesVersion asked = spec.kubernetesVersion().get();
    ClusterRecord.read(ServerLookup.recordFile(stateDir, spec.name()))
        // A version the record does not know (the server did not say) is not held against it.
        .filter(
            r ->
                KubernetesVersion.ofServer(r.kubernetesVersion())
                    .filter(v -> !asked.sameMinor(v))
                    .isPresent())
        .ifPresent(
            r -> {
              throw new K3sboxException(
                  Failure.USAGE,
                  "cluster "
                      + spec.name()
                      + " runs Kubernetes "
                      + r.kubernetesVersion()
                      + ", not "
                      + asked.minorName()
                      + "; pick another --name, or `k3sbox down --name "
                      + spec.name()
                      + "` first");
            });
  }

  private ServerInstance create(ContainerEngine engine, ClusterSpec spec) {
    PortGuard.ensureFree(spec);
    ServerImage image =
        engines.serverImage(engine, spec.image(), spec.kubernetesVersion(), spec.mayBuildImage());
    DataVolume.ensure(engine, spec.name(), image, invocation, progress);
    Rollback rollback = new Rollback(engine, invocation.id(), progress, keptMessage(spec));
    try {
      ServerInstance server =
          new ServerCreation(engine, progress)
              .createAndStart(spec, image, invocation.labels(spec.name()));
      rollback.disarm();
      return server;
    } catch (RuntimeException e) {
      afterFailure(rollback, spec);
      throw e;
    }
  }

  private ClusterRecord finish(ContainerEngine engine, ServerInstance server, ClusterSpec spec) {
    // Asked now, while the server boots: needed only once it is ready.
    engine.prefetch(); // for the vfs warning
    Map<String, String> labels = server.labels();
    String serverUrl = ServerLookup.serverUrl(labels, spec);
    Rollback rollback =
        invocation.made(labels)
            ? new Rollback(engine, invocation.id(), progress, keptMessage(spec))
            : null;
    Ready ready;
    try {
      ready = readiness.apply(engine, progress).awaitReady(server, serverUrl, spec.timeout());
    } catch (K3sboxException e) {
      if (rollback != null) {
        afterFailure(rollback, spec);
        throw e;
      }
      throw new K3sboxException(
          e.failure(),
          e.getMessage()
              + "; if its data is damaged, `k3sbox down --name "
              + spec.name()
              + "` then `up` starts afresh",
          e);
    } catch (RuntimeException e) {
      if (rollback != null) {
        afterFailure(rollback, spec);
      }
      throw e;
    }
    if (rollback != null) {
      rollback.disarm();
    }
    files.warnAboutVfsOnce(engine);
    ClusterRecord record =
        new ClusterRecord(
            spec.name(),
            serverUrl,
            server.image(),
            server.id(),
            Integer.parseInt(
                labels.getOrDefault(Labels.API_PORT, Integer.toString(spec.apiPort()))),
            labels.getOrDefault(Labels.BIND, spec.bindAddress()),
            labels.getOrDefault(Labels.PRIVILEGE, "unknown"),
            labels.getOrDefault(Labels.NETWORK, "host"),
            ready.version().orElse("unknown"),
            spec.k3sArgs());
    files.write(spec, ready.kubeconfig(), record);
    return record;
  }

  private void afterFailure(Rollback rollback, ClusterSpec spec) {
    if (spec.keepOnFailure()) {
      rollback.disarm(); // keep the debris, as asked
      progress.warn(keptMessage(spec));
    } else {
      rollback.run();
    }
  }

  /**
   * With --keep-on-failure, what a failed or interrupted {@code up} says instead of rolling back.
   */
  private static String keptMessage(ClusterSpec spec) {
    if (!spec.keepOnFailure()) {
      return null;
    }
    return "kept the failed cluster for debugging (--keep-on-failure): `k3sbox logs --name "
        + spec.name()
        + "`, `docker inspect "
        + ClusterName.container(spec.name())
        + "`; `k3sbox down --name "
        + spec.name()
        + "` removes it";
  }

  private static boolean matches(ClusterRecord record, ClusterSpec spec) {
    return record.apiPort() == spec.apiPort()
        && record.bindAddress().equals(spec.bindAddress())
        && spec.image().map(i -> i.equals(record.image())).orElse(true);
  }
}
