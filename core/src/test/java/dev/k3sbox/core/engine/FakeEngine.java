package dev.k3sbox.core.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A container engine in memory, for unit tests of the lifecycle's decisions: containers and volumes
 * as Docker keeps them (names unique, labels filterable), refusals set up by the test as Docker
 * would word them, and every request recorded in order.
 */
public final class FakeEngine implements ContainerEngine {
  /** A container as the fake keeps it. */
  public static final class Container {
    public final String id;
    public final ContainerSpec spec;
    public boolean running;
    public boolean restarting;
    public int restartCount;
    public String startedAt;
    public long exitCode;

    Container(String id, ContainerSpec spec) {
      this.id = id;
      this.spec = spec;
    }

    ContainerState state() {
      return new ContainerState(
          id, spec.image(), spec.labels(), running, restarting, restartCount, startedAt, exitCode);
    }
  }

  public final Map<String, Container> containers = new LinkedHashMap<>();
  public final Map<String, Map<String, String>> volumes = new LinkedHashMap<>();
  public final List<String> requests = new ArrayList<>();

  /** Why a start of a container made from a spec is refused (Docker's words), or null to start. */
  public Function<ContainerSpec, String> refuseStart = spec -> null;

  /** Capabilities this daemon does not know, as Docker 20.10 does not know PERFMON. */
  public Set<String> unknownCapabilities = Set.of();

  public final FakeImages images = new FakeImages();

  public String storageDriver = "overlay2";
  private int nextId;

  /** Adds a container as if made earlier, by k3sbox or anyone. */
  public Container add(ContainerSpec spec) {
    Container c = new Container("c" + (++nextId), spec);
    containers.put(c.id, c);
    return c;
  }

  public Optional<Container> named(String name) {
    return containers.values().stream().filter(c -> c.spec.name().equals(name)).findFirst();
  }

  private Optional<Container> find(String idOrName) {
    return Optional.ofNullable(containers.get(idOrName)).or(() -> named(idOrName));
  }

  private Container existing(String idOrName) {
    return find(idOrName)
        .orElseThrow(() -> new EngineException(404, "No such container: " + idOrName, null));
  }

  @Override
  public Optional<ContainerState> inspect(String idOrName) {
    requests.add("inspect " + idOrName);
    return find(idOrName).map(Container::state);
  }

  @Override
  public List<ContainerSummary> containers(Map<String, String> labels) {
    requests.add("containers " + labels);
    return containers.values().stream()
        .filter(c -> c.spec.labels().entrySet().containsAll(labels.entrySet()))
        .map(c -> new ContainerSummary(c.id, c.spec.name(), c.spec.labels()))
        .toList();
  }

  @Override
  public String create(ContainerSpec spec) {
    requests.add("create " + spec.name());
    if (named(spec.name()).isPresent()) {
      throw new EngineException(
          409, "Conflict. The container name \"/" + spec.name() + "\" is already in use", null);
    }
    for (String cap : spec.capAdd()) {
      if (unknownCapabilities.contains(cap)) {
        throw new EngineException(
            500, "invalid CapAdd: unknown capability: \"CAP_" + cap + "\"", null);
      }
    }
    return add(spec).id;
  }

  @Override
  public void start(String id) {
    requests.add("start " + id);
    Container c = existing(id);
    String refused = refuseStart.apply(c.spec);
    if (refused != null) {
      throw new EngineException(500, refused, null);
    }
    c.running = true;
    c.restartCount = 0;
    c.startedAt = Instant.now().toString();
  }

  @Override
  public void stop(String id, int timeoutSeconds) {
    requests.add("stop " + id);
    Container c = existing(id);
    c.running = false;
    c.restarting = false;
  }

  @Override
  public void remove(String id) {
    requests.add("remove " + id);
    containers.remove(existing(id).id);
  }

  @Override
  public Map<String, String> createVolume(String name, Map<String, String> labels) {
    requests.add("createVolume " + name);
    return Map.copyOf(volumes.computeIfAbsent(name, n -> new HashMap<>(labels)));
  }

  @Override
  public List<String> volumes(Map<String, String> labels) {
    requests.add("volumes " + labels);
    return volumes.entrySet().stream()
        .filter(v -> v.getValue().entrySet().containsAll(labels.entrySet()))
        .map(Map.Entry::getKey)
        .toList();
  }

  @Override
  public void removeVolume(String name) {
    requests.add("removeVolume " + name);
    if (volumes.remove(name) == null) {
      throw new EngineException(404, "get " + name + ": no such volume", null);
    }
  }

  @Override
  public Optional<String> readFile(String containerId, String path) {
    return Optional.empty();
  }

  @Override
  public void logs(
      String containerId,
      boolean follow,
      Integer tail,
      Consumer<String> sink,
      long timeoutSeconds) {
    sink.accept("log of " + containerId);
  }

  @Override
  public ExitWatch watchExits(String containerId, String since) {
    return new ExitWatch() {
      @Override
      public Optional<String> exitCode() {
        return Optional.empty();
      }

      @Override
      public boolean blind() {
        return false;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public OptionalLong memoryMib(String containerId) {
    return OptionalLong.of(300);
  }

  @Override
  public ImageStore images() {
    return images;
  }

  @Override
  public String storageDriver() {
    return storageDriver;
  }
}
