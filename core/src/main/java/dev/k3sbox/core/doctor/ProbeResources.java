package dev.k3sbox.core.doctor;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.k3sbox.core.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Everything one doctor run creates: containers, networks, volumes and images, all labelled with
 * the run's invocation id and its process id. Each probe removes its own in a {@code finally};
 * {@link #close} and a JVM shutdown hook (Ctrl-C) sweep whatever still carries the label. A run
 * killed with SIGKILL runs neither: the next run sweeps what such runs left, the probe resources
 * whose process is gone.
 */
final class ProbeResources implements AutoCloseable {
  static final String ROLE = "doctor-probe";

  /** The process id of the doctor run that made a probe resource. */
  static final String PID = "dev.k3sbox.probe-pid";

  /**
   * The host (its name, as the kernel has it) of that run: a process id means something only there.
   * On a daemon shared by several containers (CI jobs) another host's probes are judged by age
   * alone.
   */
  static final String HOST = "dev.k3sbox.probe-host";

  /** When that run began, in seconds since the epoch. */
  static final String STARTED = "dev.k3sbox.probe-started";

  /** How old another host's probe resources must be to count as left behind. */
  private static final Duration FOREIGN_ORPHAN_AGE = Duration.ofHours(1);

  private static final String THIS_HOST = hostName();

  private static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(15);

  private final DockerClient docker;
  private final String invocation = UUID.randomUUID().toString();
  private final Map<String, String> labels;
  private final Set<String> containers = ConcurrentHashMap.newKeySet();
  private final Set<String> networks = ConcurrentHashMap.newKeySet();
  private final Set<String> volumes = ConcurrentHashMap.newKeySet();
  private final Set<String> images = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Thread hook;
  private volatile boolean closed;

  /** A daemon call that creates something, and may throw. */
  interface Creation<T> {
    T call() throws Exception;
  }

  ProbeResources(DockerClient docker) {
    this.docker = docker;
    this.labels =
        Map.of(
            Labels.MANAGED,
            "true",
            Labels.ROLE,
            ROLE,
            Labels.INVOCATION,
            invocation,
            PID,
            Long.toString(ProcessHandle.current().pid()),
            HOST,
            THIS_HOST,
            STARTED,
            Long.toString(java.time.Instant.now().getEpochSecond()));
    this.hook = new Thread(this::removeAll, "k3sbox-doctor-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    sweep(ProbeResources::orphaned);
  }

  /**
   * Made by a doctor run that is over and could not clean up (killed): on this host, one whose
   * process is gone; on another host (or unlabelled), one that began over an hour ago.
   */
  static boolean orphaned(Map<String, String> labels) {
    String pid = labels == null ? null : labels.get(PID);
    if (pid != null && pid.matches("\\d{1,18}") && THIS_HOST.equals(labels.get(HOST))) {
      return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
    }
    String started = labels == null ? null : labels.get(STARTED);
    if (started == null || !started.matches("\\d{1,18}")) {
      return false; // no way to tell: left alone
    }
    return java.time.Instant.ofEpochSecond(Long.parseLong(started))
        .isBefore(java.time.Instant.now().minus(FOREIGN_ORPHAN_AGE));
  }

  private static String hostName() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"))
          .strip();
    } catch (java.io.IOException | RuntimeException e) {
      return String.valueOf(System.getenv("HOSTNAME"));
    }
  }

  Map<String, String> labels() {
    return labels;
  }

  /**
   * Runs a call that creates something, counted so that a Ctrl-C sweep first lets it finish: a
   * request cut off mid-way can leave a container or build layer the sweep would not see.
   */
  <T> T creating(Creation<T> creation) throws Exception {
    inFlight.incrementAndGet();
    try {
      return creation.call();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  String createContainer(CreateContainerCmd cmd) {
    inFlight.incrementAndGet();
    String id;
    try {
      id = cmd.withLabels(labels).exec().getId();
    } finally {
      inFlight.decrementAndGet();
    }
    return track(containers, id, () -> removeContainer(id));
  }

  String createNetwork(String name) {
    inFlight.incrementAndGet();
    String id;
    try {
      id =
          docker
              .createNetworkCmd()
              .withName(name)
              .withLabels(labels)
              .withCheckDuplicate(true)
              .exec()
              .getId();
    } finally {
      inFlight.decrementAndGet();
    }
    return track(networks, id, () -> removeNetwork(id));
  }

  String createVolume(String name) {
    inFlight.incrementAndGet();
    String created;
    try {
      created = docker.createVolumeCmd().withName(name).withLabels(labels).exec().getName();
    } finally {
      inFlight.decrementAndGet();
    }
    return track(volumes, created, () -> removeVolume(created));
  }

  /** Records an image built with {@link #labels()}, by its tag. */
  String trackImage(String tag) {
    return track(images, tag, () -> removeImage(tag));
  }

  void removeContainer(String id) {
    quietly(() -> docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
    containers.remove(id);
  }

  void removeNetwork(String id) {
    quietly(() -> docker.removeNetworkCmd(id).exec());
    networks.remove(id);
  }

  void removeVolume(String name) {
    quietly(() -> docker.removeVolumeCmd(name).exec());
    volumes.remove(name);
  }

  void removeImage(String tag) {
    quietly(() -> docker.removeImageCmd(tag).withForce(true).withNoPrune(false).exec());
    images.remove(tag);
  }

  @Override
  public void close() {
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running or has run.
    }
  }

  /** Removes what this run tracked, then anything else carrying its invocation label. */
  synchronized void removeAll() {
    closed = true;
    try {
      Awaitility.await("doctor's in-flight daemon calls")
          .atMost(IN_FLIGHT_GRACE)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> inFlight.get() == 0);
    } catch (ConditionTimeoutException e) {
      // Sweep anyway: what is still being created removes itself when its call returns.
    }
    // Containers first: networks and volumes in use cannot be removed.
    List.copyOf(containers).forEach(this::removeContainer);
    List.copyOf(images).forEach(this::removeImage);
    List.copyOf(networks).forEach(this::removeNetwork);
    List.copyOf(volumes).forEach(this::removeVolume);
    sweep(l -> l != null && invocation.equals(l.get(Labels.INVOCATION)));
  }

  /** Removes every doctor probe resource on the daemon whose labels {@code ours} accepts. */
  private void sweep(Predicate<Map<String, String>> ours) {
    String role = Labels.ROLE + "=" + ROLE;
    quietly(
        () ->
            docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(Labels.ROLE, ROLE))
                .exec()
                .stream()
                .filter(c -> ours.test(c.getLabels()))
                .forEach(c -> removeContainer(c.getId())));
    quietly(
        () ->
            docker.listImagesCmd().withLabelFilter(Map.of(Labels.ROLE, ROLE)).exec().stream()
                .filter(i -> ours.test(i.getLabels()))
                .forEach(i -> removeImage(i.getId())));
    quietly(
        () ->
            docker.listNetworksCmd().withFilter("label", List.of(role)).exec().stream()
                .filter(n -> ours.test(n.getLabels()))
                .forEach(n -> removeNetwork(n.getId())));
    quietly(
        () -> {
          // The daemon answers "Volumes": null when there are none.
          var found = docker.listVolumesCmd().withFilter("label", List.of(role)).exec();
          if (found.getVolumes() != null) {
            found.getVolumes().stream()
                .filter(v -> ours.test(v.getLabels()))
                .forEach(v -> removeVolume(v.getName()));
          }
        });
  }

  /**
   * Records a resource; if the run is already being torn down (Ctrl-C), removes it at once and
   * stops the probe, so nothing is created after the sweep.
   */
  private String track(Set<String> set, String id, Runnable remove) {
    set.add(id);
    if (closed) {
      remove.run();
      throw new CancellationException("doctor is shutting down");
    }
    return id;
  }

  private static void quietly(Runnable action) {
    try {
      action.run();
    } catch (NotFoundException e) {
      // Already gone, which is what we wanted.
    } catch (RuntimeException e) {
      // Cleanup is best effort: one leftover must not hide the report or the other removals.
    }
  }
}
