package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerEngines;
import dev.k3sbox.core.engine.ContainerSummary;
import dev.k3sbox.core.kubeconfig.KubeconfigMerger;
import dev.k3sbox.core.state.FileTrees;
import dev.k3sbox.core.state.ProcessLock;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code down}: removes clusters (their labelled containers and volumes, their context, their state
 * folder). Idempotent: absent clusters are no error.
 */
final class ClusterDown {
  private final StateDir stateDir;
  private final Progress progress;
  private final KubeconfigMerger merger;
  private final ContainerEngines engines;

  ClusterDown(
      StateDir stateDir, Progress progress, KubeconfigMerger merger, ContainerEngines engines) {
    this.stateDir = stateDir;
    this.progress = progress;
    this.merger = merger;
    this.engines = engines;
  }

  /** Returns the names removed. */
  List<String> down(
      List<String> names, ClusterManager.Scope scope, boolean keepData, boolean stopDocker) {
    Optional<ContainerEngine> engine = engines.running();
    List<String> targets = new ArrayList<>(names);
    if (scope != ClusterManager.Scope.NAMED) {
      targets.addAll(
          ServerLookup.knownNames(stateDir, engine, scope == ClusterManager.Scope.DAEMON));
    }
    List<String> removed = new ArrayList<>();
    for (String name : targets.stream().distinct().toList()) {
      ClusterName.validate(name);
      if (engine.isEmpty() && Files.isDirectory(stateDir.cluster(name))) {
        engine = Optional.of(engines.ensureRunning(false)); // its containers live in that daemon
      }
      try (ProcessLock lock = stateDir.lockCluster(name, progress)) {
        boolean found = engine.map(e -> removeResources(e, name, keepData)).orElse(false);
        merger.remove(ClusterName.context(name));
        found |= deleteStateFolder(name);
        if (found) {
          removed.add(name);
        }
      }
    }
    if (stopDocker && !engines.stopIfStartedByK3sbox()) {
      progress.info("dockerd was not started by k3sbox; leaving it running");
    }
    return removed;
  }

  private boolean removeResources(ContainerEngine engine, String name, boolean keepData) {
    boolean found = false;
    for (ContainerSummary c : ServerLookup.containersOf(engine, name)) {
      progress.step("removing container " + c.name());
      engine.remove(c.id());
      found = true;
    }
    if (!keepData) {
      for (String volume : engine.volumes(Map.of(Labels.MANAGED, "true", Labels.CLUSTER, name))) {
        progress.step("removing volume " + volume);
        engine.removeVolume(volume);
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
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      progress.warn("could not delete " + dir + ": " + e.getMessage());
    }
    return true;
  }
}
