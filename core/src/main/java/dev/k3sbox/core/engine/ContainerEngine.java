package dev.k3sbox.core.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * What the cluster lifecycle asks of the container engine, and nothing more: the port between
 * k3sbox's decisions (package {@code cluster}) and Docker. One implementation talks to Docker
 * ({@code docker.DockerEngine}); unit tests of the decisions use a fake. Every failure the engine
 * reports is an {@link EngineException} carrying the daemon's own words.
 */
public interface ContainerEngine {
  /** The container called {@code idOrName}, or empty when the engine has none. */
  Optional<ContainerState> inspect(String idOrName);

  /** The containers (running or not) carrying every one of {@code labels}. */
  List<ContainerSummary> containers(Map<String, String> labels);

  /** Creates a container (not started); returns its ID. A taken name is status 409. */
  String create(ContainerSpec spec);

  void start(String id);

  /** Stops a running container; a stopped one is left as it is. */
  void stop(String id, int timeoutSeconds);

  /** Removes a container, running or not, with its anonymous volumes. */
  void remove(String id);

  /**
   * Creates the named volume with {@code labels}, or finds it: the labels of the volume as it now
   * is (an existing one keeps its own), or null for a volume of another driver that cannot be
   * described.
   */
  Map<String, String> createVolume(String name, Map<String, String> labels);

  /** The names of the volumes carrying every one of {@code labels}. */
  List<String> volumes(Map<String, String> labels);

  void removeVolume(String name);

  /** The file at {@code path} inside the container, or empty when it is not there (yet). */
  Optional<String> readFile(String containerId, String path);

  /**
   * Sends the container's log to {@code sink} a whole line at a time: the last {@code tail} lines
   * (all if null), then, with {@code follow}, what comes until it stops. Waits at most {@code
   * timeoutSeconds} (0: no limit).
   */
  void logs(
      String containerId, boolean follow, Integer tail, Consumer<String> sink, long timeoutSeconds);

  /**
   * Starts watching the container for its death (Docker's {@code die} event), replaying what
   * happened since {@code since} (the engine's event time syntax, {@code <unix seconds>.<nanos>}).
   */
  ExitWatch watchExits(String containerId, String since);

  /** The container's memory use in MiB as {@code docker stats} shows it, where the engine says. */
  OptionalLong memoryMib(String containerId);

  /** The engine's images: where {@code up} finds its server image and {@code image} builds one. */
  ImageStore images();

  /** The engine's storage driver ({@code overlay2}, {@code vfs}, ...). */
  String storageDriver();

  /**
   * A hint that {@link #storageDriver} will be asked for: an implementation may start asking now,
   * while the caller waits for something else.
   */
  default void prefetch() {}
}
