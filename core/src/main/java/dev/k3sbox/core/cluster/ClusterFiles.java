package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import dev.k3sbox.core.kubeconfig.KubeconfigMerger;
import dev.k3sbox.core.state.SecureFiles;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code up} leaves on the host once its server is ready: the cluster's own kubeconfig (0600,
 * written atomically), its context merged into the user's kubeconfig when asked, the record the
 * next {@code up}'s fast path reads, and the vfs warning, once per machine.
 */
final class ClusterFiles {
  private final StateDir stateDir;
  private final KubeconfigMerger merger;
  private final Progress progress;

  ClusterFiles(StateDir stateDir, KubeconfigMerger merger, Progress progress) {
    this.stateDir = stateDir;
    this.merger = merger;
    this.progress = progress;
  }

  /** The kubeconfig first: a record without its kubeconfig would send the fast path astray. */
  void write(ClusterSpec spec, Kubeconfig kubeconfig, ClusterRecord record) {
    writeKubeconfig(spec, kubeconfig);
    Path file = ServerLookup.recordFile(stateDir, spec.name());
    try {
      record.write(file);
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.INTERNAL,
          "cannot write " + file + ": " + e.getMessage() + "; check that the folder is writable",
          e);
    }
  }

  private void writeKubeconfig(ClusterSpec spec, Kubeconfig kubeconfig) {
    Path file = stateDir.kubeconfig(spec.name());
    stateDir.ensure(file.getParent());
    try {
      SecureFiles.writeAtomically(file, kubeconfig.toYaml(ClusterName.context(spec.name())));
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.KUBECONFIG, "cannot write " + file + ": " + e.getMessage(), e);
    }
    if (spec.mergeKubeconfig()) {
      Path merged = merger.upsert(ClusterName.context(spec.name()), kubeconfig);
      progress.info("context " + ClusterName.context(spec.name()) + " set as current in " + merged);
    }
  }

  /**
   * Best effort: the cluster is ready by now, and an engine that fails to describe itself must not
   * fail the run over a warning.
   */
  void warnAboutVfsOnce(ContainerEngine engine) {
    try {
      if (!"vfs".equals(engine.storageDriver())) {
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
}
