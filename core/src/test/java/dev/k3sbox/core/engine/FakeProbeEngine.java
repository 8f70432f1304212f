package dev.k3sbox.core.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A probe engine in memory, for unit tests of doctor's decisions: what probes make (kept with their
 * labels until removed), refusals set up by the test as Docker would word them, and every container
 * spec asked for, in order.
 */
public final class FakeProbeEngine implements ProbeEngine {
  /** What the fake holds of each kind: ID to labels. */
  public final Map<Kind, Map<String, Map<String, String>>> made = new EnumMap<>(Kind.class);

  /** Every container created, by ID, until removed. */
  public final Map<String, ProbeSpec> containers = new LinkedHashMap<>();

  /** Every container spec asked for, refused or not. */
  public final List<ProbeSpec> asked = new ArrayList<>();

  /** The engine's images: their tags, in order, are what doctor may probe with. */
  public final FakeImages images = new FakeImages();

  /** Local images whose filesystem has no {@code /bin/sh}. */
  public Set<String> withoutShell = Set.of();

  /** Capabilities this daemon does not know, as Docker 20.10 does not know PERFMON. */
  public Set<String> unknownCapabilities = Set.of();

  /** Why a create is refused (Docker's words), or null to create. */
  public Function<ProbeSpec, String> refuseCreate = spec -> null;

  /** Why a start is refused (Docker's words), or null to start. */
  public Function<ProbeSpec, String> refuseStart = spec -> null;

  /** What a started container says once it has exited. */
  public Function<ProbeSpec, CommandResult> runs = spec -> new CommandResult(0, "ok\n");

  public boolean closed;
  private int nextId;

  public FakeProbeEngine() {
    for (Kind kind : Kind.values()) {
      made.put(kind, new LinkedHashMap<>());
    }
  }

  /** Adds something as if made earlier, by another doctor run. */
  public void add(Kind kind, String id, Map<String, String> labels) {
    made.get(kind).put(id, labels);
  }

  /** Everything the fake still holds, of every kind. */
  public List<String> leftovers() {
    List<String> all = new ArrayList<>();
    made.forEach((kind, ids) -> ids.keySet().forEach(id -> all.add(kind + " " + id)));
    return all;
  }

  @Override
  public ImageStore images() {
    return images;
  }

  @Override
  public synchronized String createContainer(ProbeSpec spec, Map<String, String> labels) {
    asked.add(spec);
    for (String cap : spec.capAdd()) {
      if (unknownCapabilities.contains(cap)) {
        throw new EngineException(
            500, "invalid CapAdd: unknown capability: \"CAP_" + cap + "\"", null);
      }
    }
    refuse(refuseCreate.apply(spec));
    String id = "c" + (++nextId);
    made.get(Kind.CONTAINER).put(id, labels);
    containers.put(id, spec);
    return id;
  }

  @Override
  public CommandResult run(String containerId, Duration timeout) {
    start(containerId);
    return runs.apply(spec(containerId));
  }

  @Override
  public void start(String containerId) {
    refuse(refuseStart.apply(spec(containerId)));
  }

  @Override
  public boolean isRunning(String containerId) {
    return true;
  }

  @Override
  public Optional<String> hostPort(String containerId, int containerPort) {
    return spec(containerId).publishedPort() == containerPort
        ? Optional.of("32768")
        : Optional.empty();
  }

  @Override
  public CommandResult exec(String containerId, List<String> command, Duration timeout) {
    return new CommandResult(0, "exec-ok\n");
  }

  @Override
  public boolean hasFile(String containerId, String path) {
    return !withoutShell.contains(spec(containerId).image());
  }

  @Override
  public synchronized String createNetwork(String name, Map<String, String> labels) {
    String id = "n" + (++nextId);
    made.get(Kind.NETWORK).put(id, labels);
    return id;
  }

  @Override
  public synchronized String createVolume(String name, Map<String, String> labels) {
    made.get(Kind.VOLUME).put(name, labels);
    return name;
  }

  @Override
  public synchronized void build(
      Path context, String tag, Map<String, String> labels, Duration timeout) {
    made.get(Kind.IMAGE).put(tag, labels);
  }

  @Override
  public synchronized List<Labelled> list(Kind kind, Map<String, String> labels) {
    List<Labelled> found = new ArrayList<>();
    made.get(kind)
        .forEach(
            (id, has) -> {
              if (has.entrySet().containsAll(labels.entrySet())) {
                found.add(new Labelled(id, new HashMap<>(has)));
              }
            });
    return found;
  }

  @Override
  public synchronized void remove(Kind kind, String id) {
    if (made.get(kind).remove(id) == null) {
      throw new EngineException(404, "No such " + kind.name().toLowerCase() + ": " + id, null);
    }
    containers.remove(id);
  }

  @Override
  public void close() {
    closed = true;
  }

  private synchronized ProbeSpec spec(String containerId) {
    ProbeSpec spec = containers.get(containerId);
    if (spec == null) {
      throw new EngineException(404, "No such container: " + containerId, null);
    }
    return spec;
  }

  private static void refuse(String words) {
    if (words != null) {
      throw new EngineException(500, words, null);
    }
  }
}
