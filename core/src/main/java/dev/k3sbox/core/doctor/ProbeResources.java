package dev.k3sbox.core.doctor;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.engine.ProbeEngine;
import dev.k3sbox.core.engine.ProbeEngine.Kind;
import dev.k3sbox.core.engine.ProbeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
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

  private final ProbeEngine engine;
  private final String invocation = UUID.randomUUID().toString();
  private final Map<String, String> labels;
  private final Map<Kind, Set<String>> made = new EnumMap<>(Kind.class);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Thread hook;
  private volatile boolean closed;

  ProbeResources(ProbeEngine engine) {
    this.engine = engine;
    for (Kind kind : Kind.values()) {
      made.put(kind, ConcurrentHashMap.newKeySet());
    }
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
            Long.toString(Instant.now().getEpochSecond()));
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
    return Instant.ofEpochSecond(Long.parseLong(started))
        .isBefore(Instant.now().minus(FOREIGN_ORPHAN_AGE));
  }

  private static String hostName() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (java.io.IOException | RuntimeException e) {
      return String.valueOf(System.getenv("HOSTNAME"));
    }
  }

  Map<String, String> labels() {
    return labels;
  }

  String createContainer(ProbeSpec spec) {
    return track(Kind.CONTAINER, creating(() -> engine.createContainer(spec, labels)));
  }

  String createNetwork(String name) {
    return track(Kind.NETWORK, creating(() -> engine.createNetwork(name, labels)));
  }

  String createVolume(String name) {
    return track(Kind.VOLUME, creating(() -> engine.createVolume(name, labels)));
  }

  /** Builds {@code context} as {@code tag}, tracked from before it starts: a build is long. */
  void build(Path context, String tag, Duration timeout) {
    track(Kind.IMAGE, tag);
    creating(
        () -> {
          engine.build(context, tag, labels, timeout);
          return tag;
        });
  }

  void remove(Kind kind, String id) {
    quietly(() -> engine.remove(kind, id));
    made.get(kind).remove(id);
  }

  /**
   * Runs a call that creates something, counted so that a Ctrl-C sweep first lets it finish: a
   * request cut off mid-way can leave a container or build layer the sweep would not see.
   */
  private <T> T creating(Supplier<T> creation) {
    inFlight.incrementAndGet();
    try {
      return creation.get();
    } finally {
      inFlight.decrementAndGet();
    }
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
    // Kind's order: containers first, as networks and volumes in use cannot be removed.
    for (Kind kind : Kind.values()) {
      List.copyOf(made.get(kind)).forEach(id -> remove(kind, id));
    }
    sweep(l -> l != null && invocation.equals(l.get(Labels.INVOCATION)));
  }

  /** Removes every doctor probe resource on the daemon whose labels {@code ours} accepts. */
  private void sweep(Predicate<Map<String, String>> ours) {
    for (Kind kind : Kind.values()) {
      quietly(
          () ->
              engine.list(kind, Map.of(Labels.ROLE, ROLE)).stream()
                  .filter(found -> ours.test(found.labels()))
                  .forEach(found -> remove(kind, found.id())));
    }
  }

  /**
   * Records a resource; if the run is already being torn down (Ctrl-C), removes it at once and
   * stops the probe, so nothing is created after the sweep.
   */
  private String track(Kind kind, String id) {
    made.get(kind).add(id);
    if (closed) {
      remove(kind, id);
      throw new CancellationException("doctor is shutting down");
    }
    return id;
  }

  private static void quietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      // Already gone, which is what we wanted; or not, and cleanup is best effort: one leftover
      // must not hide the report or the other removals.
    }
  }
}
