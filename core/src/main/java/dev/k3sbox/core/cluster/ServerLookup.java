package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerState;
import dev.k3sbox.core.engine.ContainerSummary;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** How {@code up}, {@code down} and {@code status} find a cluster's parts: the shared lookups. */
final class ServerLookup {
  private ServerLookup() {}

  /**
   * The cluster's server container, looked up by its name. For a new cluster that is one small 404,
   * where listing containers by label bound a list of them: ~40 ms of a cold JVM on the way to
   * every new cluster. A container of that name without k3sbox's labels is not k3sbox's to touch.
   */
  static Optional<ContainerState> serverByName(ContainerEngine engine, String name) {
    Optional<ContainerState> c = engine.inspect(ClusterName.container(name));
    if (c.isPresent() && !isServerOf(c.get(), name)) {
      throw notLabelled(name, null);
    }
    return c;
  }

  private static boolean isServerOf(ContainerState c, String name) {
    Map<String, String> labels = c.labels();
    return "true".equals(labels.get(Labels.MANAGED))
        && name.equals(labels.get(Labels.CLUSTER))
        && "server".equals(labels.get(Labels.ROLE));
  }

  /** Every container k3sbox labelled for cluster {@code name}. */
  static List<ContainerSummary> containersOf(ContainerEngine engine, String name) {
    return engine.containers(Map.of(Labels.MANAGED, "true", Labels.CLUSTER, name));
  }

  /**
   * The clusters of this state dir (its folders, and containers whose label names it), or with
   * {@code everyStateDir} every cluster k3sbox labelled on the engine. A container of another state
   * dir is never counted as this one's: another user or CI job sharing the daemon owns it.
   */
  static List<String> knownNames(
      StateDir stateDir, Optional<ContainerEngine> engine, boolean everyStateDir) {
    List<String> names = new ArrayList<>();
    Map<String, String> labels =
        everyStateDir
            ? Map.of(Labels.MANAGED, "true")
            : Map.of(Labels.MANAGED, "true", Labels.STATE_DIR, stateDir.root().toString());
    engine.ifPresent(
        e ->
            e.containers(labels).stream()
                .map(c -> c.labels().get(Labels.CLUSTER))
                .filter(n -> n != null)
                .forEach(names::add));
    try (Stream<Path> dirs = Files.list(stateDir.clusters())) {
      dirs.map(p -> p.getFileName().toString()).forEach(names::add);
    } catch (IOException e) {
      // no state folder yet
    }
    return names;
  }

  /** The server's URL from the labels it was made with, else from {@code spec}. */
  static String serverUrl(Map<String, String> labels, ClusterSpec spec) {
    String bind = labels.getOrDefault(Labels.BIND, spec.bindAddress());
    int port =
        Integer.parseInt(labels.getOrDefault(Labels.API_PORT, Integer.toString(spec.apiPort())));
    return ClusterSpec.serverUrl(bind, port);
  }

  /** What the last successful {@code up} of {@code name} recorded. */
  static Path recordFile(StateDir stateDir, String name) {
    return stateDir.cluster(name).resolve("state.properties");
  }

  static K3sboxException removedMeanwhile(String name) {
    return new K3sboxException(
        Failure.UNAVAILABLE,
        "the container of cluster "
            + name
            + " was removed while k3sbox started it; run `k3sbox up --name "
            + name
            + "` again");
  }

  static K3sboxException notLabelled(String name, Exception cause) {
    return new K3sboxException(
        Failure.UNAVAILABLE,
        "a container named "
            + ClusterName.container(name)
            + " exists but k3sbox did not label it;"
            + " k3sbox will not touch it: rename or remove it, or pick another --name",
        cause);
  }
}
