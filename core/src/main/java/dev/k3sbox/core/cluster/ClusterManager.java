package dev.k3sbox.core.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.api.ApiServer;
import dev.k3sbox.core.docker.Capabilities;
import dev.k3sbox.core.docker.DaemonError;
import dev.k3sbox.core.docker.DaemonInfo;
import dev.k3sbox.core.docker.DockerDaemon;
import dev.k3sbox.core.docker.DockerRequests;
import dev.k3sbox.core.image.ImageBuilder;
import dev.k3sbox.core.image.ImageResolver;
import dev.k3sbox.core.image.KubernetesVersion;
import dev.k3sbox.core.image.ServerImage;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import dev.k3sbox.core.kubeconfig.KubeconfigMerger;
import dev.k3sbox.core.state.ProcessLock;
import dev.k3sbox.core.state.SecureFiles;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The lifecycle of k3sbox clusters: {@code up}, {@code down}, {@code status}, {@code logs}. Each
 * cluster is one labelled server container plus one labelled data volume; state that matters lives
 * in Docker's labels, the state folder only caches what makes {@code up} fast.
 */
public final class ClusterManager {
  private final StateDir stateDir;
  private final Progress progress;
  private final String k3sboxVersion;
  private final String invocation = UUID.randomUUID().toString();
  private final KubeconfigMerger merger;

  public ClusterManager(
      StateDir stateDir, Progress progress, String k3sboxVersion, KubeconfigMerger merger) {
    this.stateDir = stateDir;
    this.progress = progress;
    this.k3sboxVersion = k3sboxVersion;
    this.merger = merger;
  }

  /**
   * The cluster if it is already up as asked, checked with one HTTPS request and no Docker client:
   * the fast path of {@code up} on a running cluster.
   */
  public Optional<ClusterRecord> alreadyUp(ClusterSpec spec) {
    Optional<ClusterRecord> record = ClusterRecord.read(recordFile(spec.name()));
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

  /**
   * What the last successful {@code up} of {@code name} recorded (its port and bind address among
   * it), if the cluster has not been removed since: what a repair must keep.
   */
  public Optional<ClusterRecord> recorded(String name) {
    return ClusterRecord.read(recordFile(ClusterName.validate(name)));
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
      DaemonInfo daemon =
          DockerDaemon.fromEnvironment(stateDir, progress).ensure(spec.mayInstallDocker());
      DockerClient docker = daemon.client();
      Optional<InspectedContainer> existing = serverByName(docker, spec.name());
      ServerInstance server =
          existing.isPresent() ? reuse(docker, existing.get(), spec) : create(docker, spec);
      return finish(docker, server, spec, daemon);
    }
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
    recorded(spec.name())
        // A version the record does not know (the server did not say) is not held against it.
        .filter(
            r ->
                KubernetesVersion.ofServer(r.kubernetesVersion())
                    .filter(v -> !asked.sameMinor(v))
                    .isPresent())
        .ifPresent(
            r -> {
              throw new K3sboxException(
                  ExitCode.USAGE,
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

  private ServerInstance reuse(DockerClient docker, InspectedContainer c, ClusterSpec spec) {
    Map<String, String> labels = c.labels();
    String port = labels.get(Labels.API_PORT);
    if (port != null && !port.equals(Integer.toString(spec.apiPort()))) {
      progress.warn(
          "cluster "
              + spec.name()
              + " exists with API port "
              + port
              + "; --api-port is ignored"
              + " (run `k3sbox down --name "
              + spec.name()
              + "` first to change it)");
    }
    if (isCrashLooping(c)) {
      // A crash loop may come from the container (a lost tmpfs, a changed image) rather than
      // the data: make the container afresh on the same data volume, from the same image.
      progress.warn(
          "cluster "
              + spec.name()
              + " is crash-looping ("
              + c.restartCount()
              + " restarts); recreating its container on the same data volume");
      // Stopped first, so that its own listeners are gone when the ports are checked: a port
      // taken by someone else is often the crash's cause, and recreating onto it would remove
      // the cluster and then fail. Stopped, it stays there, data and all, to start once free.
      try {
        docker.stopContainerCmd(c.id()).withTimeout(5).exec();
      } catch (NotModifiedException e) {
        // stopped between two restarts: as good
      }
      // Where it was, as the warning above says: its recorded port, address and network.
      ClusterSpec where = onRecordedPort(spec, labels);
      ensurePortFree(where);
      docker.removeContainerCmd(c.id()).withForce(true).withRemoveVolumes(true).exec();
      return create(docker, where.image().isPresent() ? where : where.withImage(c.image()));
    }
    if (c.running()) {
      progress.step("cluster " + spec.name() + " is running; checking it");
    } else {
      progress.step("starting the stopped cluster " + spec.name());
      // On the host network Docker starts it whatever holds its ports, and k3s then crash-loops.
      ensurePortFree(onRecordedPort(spec, labels));
      startOrExplain(docker, c.id(), spec);
      // Docker zeroes the restart count on a start: the count from before would hide a crash.
      return ServerInstance.of(
          InspectedContainer.inspect(docker, c.id())
              .orElseThrow(() -> removedMeanwhile(spec.name())));
    }
    return ServerInstance.of(c);
  }

  /** Restarts, in a row and recent, that make a container crash-looping. */
  static final int CRASH_LOOP_RESTARTS = 3;

  /** {@code spec} on the port, address and network an existing container was made with. */
  private static ClusterSpec onRecordedPort(ClusterSpec spec, Map<String, String> labels) {
    String port = labels.get(Labels.API_PORT);
    String bind = labels.get(Labels.BIND);
    String network = labels.get(Labels.NETWORK);
    return spec.onPort(
        port == null ? spec.apiPort() : Integer.parseInt(port),
        bind == null ? spec.bindAddress() : bind,
        NetworkMode.BRIDGE.label().equals(network)
            ? NetworkMode.BRIDGE
            : network == null ? spec.networkMode() : NetworkMode.HOST);
  }

  /**
   * Restarting now, or restarted by Docker and up for only a few seconds: between two failed starts
   * a crash-looping container shows as running for a moment.
   */
  static boolean isCrashLooping(InspectedContainer c) {
    // One restart is not a loop: a single crash (an OOM kill, a killed process) is restarted by
    // Docker's policy and usually comes back; recreating the container then would be needless.
    if (c.restartCount() < CRASH_LOOP_RESTARTS) {
      return false;
    }
    if (c.restarting()) {
      return true;
    }
    if (!c.running() || c.startedAt() == null) {
      return false;
    }
    Instant started = OffsetDateTime.parse(c.startedAt()).toInstant();
    return started.isAfter(Instant.now().minusSeconds(10));
  }

  private ServerInstance create(DockerClient docker, ClusterSpec spec) {
    ensurePortFree(spec);
    ImageResolver images = new ImageResolver(docker, progress);
    if (spec.mayBuildImage()) {
      images.buildingStandinWith(new ImageBuilder(docker, stateDir, progress));
    }
    ServerImage image = images.resolve(spec.image(), spec.kubernetesVersion());
    ensureVolume(docker, spec.name(), image);
    Rollback rollback = new Rollback(docker, invocation, progress, keptMessage(spec));
    try {
      ServerInstance server = createAndStart(docker, spec, image);
      rollback.disarm();
      return server;
    } catch (RuntimeException e) {
      afterFailure(rollback, spec);
      throw e;
    }
  }

  private ClusterRecord finish(
      DockerClient docker, ServerInstance server, ClusterSpec spec, DaemonInfo daemon) {
    // Asked now, while the server boots: needed only once it is ready.
    daemon.prefetch(); // for the vfs warning
    Map<String, String> labels = server.labels();
    String serverUrl = serverUrl(labels, spec);
    Rollback rollback =
        createdByThisRun(labels)
            ? new Rollback(docker, invocation, progress, keptMessage(spec))
            : null;
    ServerReadiness.Ready ready;
    try {
      ready = new ServerReadiness(docker, progress).awaitReady(server, serverUrl, spec.timeout());
    } catch (K3sboxException e) {
      if (rollback != null) {
        afterFailure(rollback, spec);
        throw e;
      }
      throw new K3sboxException(
          e.exitCode(),
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
    warnAboutVfsOnce(daemon);
    ApiServer api = ready.api();
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
            api.version().orElse("unknown"),
            spec.k3sArgs());
    writeKubeconfig(spec, ready.kubeconfig());
    try {
      record.write(recordFile(spec.name()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  private boolean createdByThisRun(Map<String, String> labels) {
    return invocation.equals(labels.get(Labels.INVOCATION));
  }

  private void writeKubeconfig(ClusterSpec spec, Kubeconfig kubeconfig) {
    Path file = stateDir.kubeconfig(spec.name());
    stateDir.ensure(file.getParent());
    try {
      SecureFiles.writeAtomically(file, kubeconfig.toYaml(ClusterName.context(spec.name())));
    } catch (IOException e) {
      throw new K3sboxException(
          ExitCode.KUBECONFIG, "cannot write " + file + ": " + e.getMessage(), e);
    }
    if (spec.mergeKubeconfig()) {
      Path merged = merger.upsert(ClusterName.context(spec.name()), kubeconfig);
      progress.info("context " + ClusterName.context(spec.name()) + " set as current in " + merged);
    }
  }

  /** The labels of all this invocation makes for cluster {@code name}: its container and volume. */
  private Map<String, String> ownLabels(String name) {
    return Map.of(
        Labels.MANAGED, "true",
        Labels.CLUSTER, name,
        Labels.INVOCATION, invocation,
        Labels.VERSION, k3sboxVersion,
        Labels.STATE_DIR, stateDir.root().toString());
  }

  private ServerInstance createAndStart(DockerClient docker, ClusterSpec spec, ServerImage image) {
    Map<String, String> labels = ownLabels(spec.name());
    List<PrivilegeProfile> profiles = candidateProfiles(spec, image);
    K3sboxException last = null;
    for (PrivilegeProfile profile : profiles) {
      List<Capability> caps = new ArrayList<>(capabilities(profile));
      progress.step(
          "creating container "
              + ClusterName.container(spec.name())
              + " from "
              + image.name()
              + " (privilege: "
              + profile.label()
              + ")");
      ServerInstance created =
          createWithKnownCapabilities(docker, spec, image.name(), profile, caps, labels);
      String id = created.id();
      try {
        docker.startContainerCmd(id).exec();
        return created;
      } catch (DockerException e) {
        String reason = DaemonError.lineOf(e);
        docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        if (isPortConflict(reason)) {
          throw portInUse(spec, reason);
        }
        last =
            new K3sboxException(
                ExitCode.UNAVAILABLE, "the server container did not start (" + reason + ")", e);
        if (spec.privilegeMode() != PrivilegeMode.AUTO) {
          throw new K3sboxException(
              ExitCode.UNAVAILABLE,
              "the server container did not start with privilege "
                  + profile.label()
                  + ": "
                  + reason
                  + "; try --privileged=auto, and see `k3sbox doctor`",
              e);
        }
        progress.warn(
            "privilege "
                + profile.label()
                + " refused here ("
                + reason
                + "); trying the next profile");
      }
    }
    throw last;
  }

  private ServerInstance createWithKnownCapabilities(
      DockerClient docker,
      ClusterSpec spec,
      String image,
      PrivilegeProfile profile,
      List<Capability> caps,
      Map<String, String> labels) {
    DockerRequests requests = DockerRequests.of(docker);
    while (true) {
      try {
        return ServerContainer.create(requests, spec, image, profile, caps, labels);
      } catch (DockerException e) {
        // An older daemon refuses capabilities newer than itself (20.10: CAP_PERFMON).
        Optional<Capability> unknown = Capabilities.unknownToDaemon(DaemonError.lineOf(e));
        if (unknown.isEmpty() || !caps.remove(unknown.get())) {
          if (e.getHttpStatus() == 409) {
            throw notLabelled(spec.name(), e);
          }
          throw new K3sboxException(
              ExitCode.UNAVAILABLE,
              "cannot create the server container: " + DaemonError.lineOf(e),
              e);
        }
      }
    }
  }

  private static List<PrivilegeProfile> candidateProfiles(ClusterSpec spec, ServerImage image) {
    return switch (spec.privilegeMode()) {
      case ALWAYS -> List.of(PrivilegeProfile.PRIVILEGED);
      case NEVER -> List.of(PrivilegeProfile.NONE);
      // Least privilege first: `k3s server --disable-agent` needs none (no kubelet, containerd,
      // flannel, cgroup evacuation or /dev/kmsg; k3s's pkg/cli/server asks root only of an
      // agent). More is tried only where Docker refuses to start a plain container.
      case AUTO ->
          image.needsNoPrivilege()
              ? List.of(PrivilegeProfile.NONE)
              : List.of(
                  PrivilegeProfile.NONE,
                  PrivilegeProfile.CAPABILITIES,
                  PrivilegeProfile.PRIVILEGED);
    };
  }

  private static List<Capability> capabilities(PrivilegeProfile profile) {
    if (profile != PrivilegeProfile.CAPABILITIES) {
      return List.of();
    }
    return Capabilities.ofThisProcess().map(Capabilities::asDockerCapabilities).orElse(List.of());
  }

  /**
   * Creates the data volume with this invocation's label, by which a rollback finds it. Docker
   * answers a create of an existing volume with that volume as it is, labels and all: one request
   * either way, no lookup first.
   */
  private void ensureVolume(DockerClient docker, String name, ServerImage image) {
    String volume = ClusterName.volume(name);
    DockerRequests requests = DockerRequests.of(docker);
    Map<String, String> own = new HashMap<>(ownLabels(name));
    own.put(Labels.SERVER_KIND, image.serverKind());
    ObjectNode create = DockerRequests.putLabels(requests.object().put("Name", volume), own);
    Map<String, String> labels;
    try {
      labels = DockerRequests.labels(requests.post("/volumes/create", create));
    } catch (DockerException e) {
      if (e.getHttpStatus() != 409) {
        throw e;
      }
      labels = null; // one of another volume driver: not k3sbox's either
    }
    if (labels == null || !"true".equals(labels.get(Labels.MANAGED))) {
      throw new K3sboxException(
          ExitCode.UNAVAILABLE,
          "a volume named "
              + volume
              + " exists but k3sbox did not label it; k3sbox will not use it:"
              + " remove or rename it, or pick another --name");
    }
    if (!invocation.equals(labels.get(Labels.INVOCATION))) {
      refuseOtherServerKind(name, volume, labels.get(Labels.SERVER_KIND), image);
      progress.info("reusing the data volume " + volume + " (objects from before survive)");
    }
  }

  /**
   * k3s adopts whatever datastore it finds in its data directory ({@code pkg/cluster/managed.go}:
   * an etcd with a write-ahead log wins over its own SQLite), so rancher/k3s on a volume the
   * stand-in made would run on the stand-in's etcd, and the stand-in would ignore k3s's SQLite:
   * either way not the objects the user kept. A volume from before this label has no kind, and is
   * reused as before.
   */
  private static void refuseOtherServerKind(
      String name, String volume, String volumeKind, ServerImage image) {
    if (volumeKind == null || volumeKind.equals(image.serverKind())) {
      return;
    }
    throw new K3sboxException(
        ExitCode.USAGE,
        "the data volume "
            + volume
            + " was made by a "
            + kindName(volumeKind)
            + " server and "
            + image.name()
            + " is a "
            + kindName(image.serverKind())
            + " server, which would not read its data; run `k3sbox down --name "
            + name
            + "` to start afresh (its objects are lost), or pass --image with a "
            + kindName(volumeKind)
            + " image to keep them");
  }

  private static String kindName(String kind) {
    return ServerImage.STANDIN.equals(kind) ? "stand-in" : "k3s";
  }

  /**
   * Before anything is created: every port the server will bind on the host (see {@link
   * ServerPorts}), not only the API port, is free.
   */
  private void ensurePortFree(ClusterSpec spec) {
    Optional<ServerPorts.Busy> busy = ServerPorts.firstBusy(spec);
    if (busy.isEmpty()) {
      return;
    }
    ServerPorts.Port port = busy.get().port();
    if (busy.get().addressNotLocal()) {
      throw new K3sboxException(
          ExitCode.USAGE,
          "--bind "
              + port.address()
              + " is not an address of this machine ("
              + busy.get().reason()
              + "); use 127.0.0.1 (default), 0.0.0.0, or one of this machine's addresses");
    }
    throw new K3sboxException(
        ExitCode.PORT_IN_USE,
        "port "
            + port.port()
            + " on "
            + port.address()
            + " is in use ("
            + busy.get().reason()
            + "), and it is "
            + port.role()
            + "; "
            + portAdvice(spec));
  }

  private K3sboxException portInUse(ClusterSpec spec, String reason) {
    return new K3sboxException(
        ExitCode.PORT_IN_USE,
        "port "
            + spec.apiPort()
            + " on "
            + spec.bindAddress()
            + " is in use ("
            + reason
            + "); "
            + portAdvice(spec));
  }

  private static String portAdvice(ClusterSpec spec) {
    return ServerPorts.freeApiPortNear(spec)
            .map(p -> "pick another with --api-port (e.g. --api-port " + p + ")")
            .orElse("pick another with --api-port")
        + " or stop what listens there";
  }

  private static boolean isPortConflict(String reason) {
    return reason.contains("port is already allocated")
        || reason.contains("address already in use");
  }

  private void startOrExplain(DockerClient docker, String id, ClusterSpec spec) {
    try {
      docker.startContainerCmd(id).exec();
    } catch (DockerException e) {
      String reason = DaemonError.lineOf(e);
      if (isPortConflict(reason)) {
        throw portInUse(spec, reason);
      }
      throw new K3sboxException(
          ExitCode.UNAVAILABLE, "cannot start cluster " + spec.name() + ": " + reason, e);
    }
  }

  private static String serverUrl(Map<String, String> labels, ClusterSpec spec) {
    String bind = labels.getOrDefault(Labels.BIND, spec.bindAddress());
    int port =
        Integer.parseInt(labels.getOrDefault(Labels.API_PORT, Integer.toString(spec.apiPort())));
    return ClusterSpec.serverUrl(bind, port);
  }

  private static boolean matches(ClusterRecord record, ClusterSpec spec) {
    return record.apiPort() == spec.apiPort()
        && record.bindAddress().equals(spec.bindAddress())
        && spec.image().map(i -> i.equals(record.image())).orElse(true);
  }

  /**
   * Best effort: the cluster is ready by now, and a daemon that fails to describe itself must not
   * fail the run over a warning.
   */
  private void warnAboutVfsOnce(DaemonInfo daemon) {
    try {
      if (!"vfs".equals(daemon.storageDriver())) {
        return;
      }
    } catch (RuntimeException e) {
      return;
    }
    Path marker = stateDir.ensure(stateDir.dockerd()).resolve("vfs-warned");
    if (Files.exists(marker)) {
      return;
    }
    progress.warn(
        "Docker uses the vfs storage driver here (no overlayfs): every image layer is a full copy,"
            + " so images and containers take several times their size on disk");
    try {
      Files.createFile(marker);
    } catch (IOException e) {
      // only means the warning shows again next time
    }
  }

  // ---- down -------------------------------------------------------------------------------

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
    DockerDaemon daemonControl = DockerDaemon.fromEnvironment(stateDir, progress);
    Optional<DaemonInfo> daemon = daemonControl.find();
    List<String> targets = new ArrayList<>(names);
    if (scope != Scope.NAMED) {
      targets.addAll(knownNames(daemon, scope == Scope.DAEMON));
    }
    List<String> removed = new ArrayList<>();
    for (String name : targets.stream().distinct().toList()) {
      ClusterName.validate(name);
      if (daemon.isEmpty() && Files.isDirectory(stateDir.cluster(name))) {
        daemon = Optional.of(daemonControl.ensure(false)); // its containers live in that daemon
      }
      try (ProcessLock lock = stateDir.lockCluster(name, progress)) {
        boolean found = daemon.map(d -> removeResources(d.client(), name, keepData)).orElse(false);
        merger.remove(ClusterName.context(name));
        found |= deleteStateFolder(name);
        if (found) {
          removed.add(name);
        }
      }
    }
    if (stopDocker && !daemonControl.stopIfStartedByK3sbox()) {
      progress.info("dockerd was not started by k3sbox; leaving it running");
    }
    return removed;
  }

  private boolean removeResources(DockerClient docker, String name, boolean keepData) {
    boolean found = false;
    for (Container c : labelled(docker, name)) {
      progress.step("removing container " + String.join(",", c.getNames()));
      docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
      found = true;
    }
    if (!keepData) {
      var volumes =
          docker
              .listVolumesCmd()
              .withFilter("label", List.of(Labels.MANAGED + "=true", Labels.CLUSTER + "=" + name))
              .exec()
              .getVolumes();
      for (var v :
          volumes == null
              ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of()
              : volumes) {
        progress.step("removing volume " + v.getName());
        docker.removeVolumeCmd(v.getName()).exec();
        found = true;
      }
    }
    return found;
  }

  private boolean deleteStateFolder(String name) {
    Path dir = stateDir.cluster(name);
    if (!Files.exists(dir)) {
      return false;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      progress.warn("could not delete " + dir + ": " + e.getMessage());
    }
    return true;
  }

  /**
   * The clusters of this state dir (its folders, and containers whose label names it), or with
   * {@code everyStateDir} every cluster k3sbox labelled on the daemon. A container of another state
   * dir is never counted as this one's: another user or CI job sharing the daemon owns it.
   */
  private List<String> knownNames(Optional<DaemonInfo> daemon, boolean everyStateDir) {
    List<String> names = new ArrayList<>();
    List<String> labels = new ArrayList<>(List.of(Labels.MANAGED + "=true"));
    if (!everyStateDir) {
      labels.add(Labels.STATE_DIR + "=" + stateDir.root());
    }
    daemon.ifPresent(
        d ->
            d.client().listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().stream()
                .map(c -> c.getLabels().get(Labels.CLUSTER))
                .filter(n -> n != null)
                .forEach(names::add));
    try (Stream<Path> dirs = Files.list(stateDir.clusters())) {
      dirs.map(p -> p.getFileName().toString()).forEach(names::add);
    } catch (IOException e) {
      // no state folder yet
    }
    return names;
  }

  /**
   * Every k3sbox cluster this state dir knows or the daemon holds (whoever made it), each as {@link
   * #status} sees it, by name.
   */
  public List<ClusterStatus> list() {
    Optional<DaemonInfo> daemon = DockerDaemon.fromEnvironment(stateDir, progress).find();
    return knownNames(daemon, true).stream()
        .distinct()
        .sorted()
        .filter(ClusterName::isValid)
        .map(this::status)
        .toList();
  }

  // ---- status and logs --------------------------------------------------------------------

  public ClusterStatus status(String name) {
    ClusterName.validate(name);
    Optional<ClusterRecord> record = ClusterRecord.read(recordFile(name));
    Optional<DaemonInfo> daemon = DockerDaemon.fromEnvironment(stateDir, progress).find();
    if (daemon.isEmpty()) {
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
    DockerClient docker = daemon.get().client();
    // By name, as `up` finds it: one inspection says all, where a listing by label and then an
    // inspection took two requests and a second JSON binding in a fresh JVM.
    Optional<InspectedContainer> server;
    try {
      server = serverByName(docker, name);
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
    daemon.get().prefetch(); // for the storage driver, shown last
    InspectedContainer c = server.get();
    Map<String, String> labels = c.labels();
    String serverUrl = serverUrl(labels, ClusterSpec.builder(name).build());
    boolean running = c.running();
    boolean ready = false;
    String version = record.map(ClusterRecord::kubernetesVersion).orElse(null);
    Path kubeconfigFile = stateDir.kubeconfig(name);
    if (running && Files.isRegularFile(kubeconfigFile)) {
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
    int restarts = c.restartCount();
    if (c.restarting() || (running && restarts > 0 && !ready)) {
      state = "unhealthy";
      detail =
          "the server is restarting ("
              + restarts
              + " restarts); see `k3sbox logs --name "
              + name
              + "`";
    } else if (running) {
      state = ready ? "running" : "unhealthy";
      detail =
          ready
              ? null
              : "the API server does not answer /readyz yet; see `k3sbox logs --name " + name + "`";
    } else {
      state = "stopped";
      detail = "exited with code " + c.exitCode() + "; `k3sbox up --name " + name + "` starts it";
    }
    String uptime =
        running
            ? human(
                Duration.between(OffsetDateTime.parse(c.startedAt()).toInstant(), Instant.now()))
            : null;
    String memory = null;
    if (running) {
      var mib = ServerMemory.mib(docker, c.id());
      if (mib.isPresent()) {
        memory = mib.getAsLong() + " MiB";
        if (mib.getAsLong() > ServerMemory.WARN_MIB) {
          progress.warn(
              "the server of cluster "
                  + name
                  + " uses "
                  + memory
                  + "; `k3sbox down --name "
                  + name
                  + "` then `up` starts it afresh (its kept scratch CRDs go with it)");
        }
      }
    }
    return new ClusterStatus(
        name,
        state,
        ready,
        serverUrl,
        c.image(),
        version,
        labels.get(Labels.PRIVILEGE),
        labels.get(Labels.NETWORK),
        daemon.get().storageDriver(),
        uptime,
        memory,
        detail);
  }

  /** Streams the server's log lines to {@code sink}; with {@code follow}, until it stops. */
  public void logs(String name, boolean follow, Integer tail, Consumer<String> sink) {
    ClusterName.validate(name);
    DaemonInfo daemon =
        DockerDaemon.fromEnvironment(stateDir, progress)
            .find()
            .orElseThrow(
                () ->
                    new K3sboxException(
                        ExitCode.DOCKER,
                        "the Docker daemon is not running; `k3sbox up` starts it"));
    InspectedContainer server =
        serverByName(daemon.client(), name)
            .orElseThrow(
                () ->
                    new K3sboxException(
                        ExitCode.UNAVAILABLE,
                        "no cluster named " + name + "; `k3sbox up --name " + name + "` makes it"));
    ContainerLogs.stream(daemon.client(), server.id(), follow, tail, sink, 0);
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
          ExitCode.UNAVAILABLE,
          "no k3sbox cluster named "
              + name
              + " is up; run `k3sbox up --name "
              + name
              + "`"
              + (otherwise == null ? "" : " or " + otherwise));
    }
    return file;
  }

  /**
   * The cluster's server container, looked up by its name. For a new cluster that is one small 404,
   * where listing containers by label bound a list of them: ~40 ms of a cold JVM on the way to
   * every new cluster. A container of that name without k3sbox's labels is not k3sbox's to touch.
   */
  private Optional<InspectedContainer> serverByName(DockerClient docker, String name) {
    Optional<InspectedContainer> c =
        InspectedContainer.inspect(docker, ClusterName.container(name));
    if (c.isPresent() && !isServerOf(c.get(), name)) {
      throw notLabelled(name, null);
    }
    return c;
  }

  private static boolean isServerOf(InspectedContainer c, String name) {
    Map<String, String> labels = c.labels();
    return "true".equals(labels.get(Labels.MANAGED))
        && name.equals(labels.get(Labels.CLUSTER))
        && "server".equals(labels.get(Labels.ROLE));
  }

  private static K3sboxException removedMeanwhile(String name) {
    return new K3sboxException(
        ExitCode.UNAVAILABLE,
        "the container of cluster "
            + name
            + " was removed while k3sbox started it; run `k3sbox up --name "
            + name
            + "` again");
  }

  private static K3sboxException notLabelled(String name, Exception cause) {
    return new K3sboxException(
        ExitCode.UNAVAILABLE,
        "a container named "
            + ClusterName.container(name)
            + " exists but k3sbox did not label it;"
            + " k3sbox will not touch it: rename or remove it, or pick another --name",
        cause);
  }

  private static List<Container> labelled(DockerClient docker, String name) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(List.of(Labels.MANAGED + "=true", Labels.CLUSTER + "=" + name))
        .exec();
  }

  private Path recordFile(String name) {
    return stateDir.cluster(name).resolve("state.properties");
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
