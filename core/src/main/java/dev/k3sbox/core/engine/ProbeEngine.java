package dev.k3sbox.core.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code doctor} asks of the container engine to measure a sandbox: short-lived containers,
 * networks, volumes and images, made from local images only (never a pull) and labelled, so that
 * what a run leaves can be found and removed. The port beside {@link ContainerEngine}, which is the
 * lifecycle's: one implementation talks to Docker ({@code docker.DockerProbes}); unit tests of
 * doctor's decisions use a fake. Every failure is an {@link EngineException} with the daemon's own
 * words, which doctor shows as a failed probe's detail.
 */
public interface ProbeEngine extends AutoCloseable {
  /** What a probe makes, in the order they can be removed: containers use the others. */
  enum Kind {
    CONTAINER,
    IMAGE,
    NETWORK,
    VOLUME
  }

  /** Something a probe made, as a listing finds it: its ID (a volume's name) and labels. */
  record Labelled(String id, Map<String, String> labels) {}

  /** The engine's images, as {@code up} sees them. */
  ImageStore images();

  /** Creates (does not start) a container; returns its ID. */
  String createContainer(ProbeSpec spec, Map<String, String> labels);

  /**
   * Starts a created container and waits at most {@code timeout} for it to exit: its exit code and
   * output.
   */
  CommandResult run(String containerId, Duration timeout) throws InterruptedException;

  /** Starts a created container, without waiting for anything. */
  void start(String containerId);

  boolean isRunning(String containerId);

  /** The host port the engine bound to {@code containerPort}/tcp, or empty when it bound none. */
  Optional<String> hostPort(String containerId, int containerPort);

  /** Runs {@code command} in a running container, waiting at most {@code timeout}. */
  CommandResult exec(String containerId, List<String> command, Duration timeout)
      throws InterruptedException;

  /** Whether the container's filesystem has {@code path}: answered without starting it. */
  boolean hasFile(String containerId, String path);

  /** Creates a bridge network; returns its ID. A taken name is refused. */
  String createNetwork(String name, Map<String, String> labels);

  /** Creates a volume; returns its name. */
  String createVolume(String name, Map<String, String> labels);

  /**
   * Builds the {@code Dockerfile} in {@code context} as {@code tag}, waiting at most {@code
   * timeout}: on the host network, as the seed experiment found builds in a sandbox need, and
   * without pulling, as the base must be local.
   */
  void build(Path context, String tag, Map<String, String> labels, Duration timeout);

  /** What of {@code kind} carries every one of {@code labels}. */
  List<Labelled> list(Kind kind, Map<String, String> labels);

  /**
   * Removes {@code id} of {@code kind}: a container even while it runs, with its anonymous volumes;
   * an image even while a container uses it.
   */
  void remove(Kind kind, String id);

  /** Releases the connection to the engine. */
  @Override
  void close();
}
