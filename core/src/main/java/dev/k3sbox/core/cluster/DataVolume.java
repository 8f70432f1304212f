package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.EngineException;
import dev.k3sbox.core.image.ServerImage;
import java.util.HashMap;
import java.util.Map;

/** A cluster's data volume: made, or found and checked fit to reuse. */
final class DataVolume {
  private DataVolume() {}

  /**
   * Creates the data volume with this invocation's label, by which a rollback finds it. Docker
   * answers a create of an existing volume with that volume as it is, labels and all: one request
   * either way, no lookup first.
   */
  static void ensure(
      ContainerEngine engine,
      String name,
      ServerImage image,
      Invocation invocation,
      Progress progress) {
    String volume = ClusterName.volume(name);
    Map<String, String> own = new HashMap<>(invocation.labels(name));
    own.put(Labels.SERVER_KIND, image.serverKind());
    Map<String, String> labels;
    try {
      labels = engine.createVolume(volume, own);
    } catch (EngineException e) {
      if (e.status() != 409) {
        throw e;
      }
      labels = null; // one of another volume driver: not k3sbox's either
    }
    if (labels == null || !"true".equals(labels.get(Labels.MANAGED))) {
      throw new K3sboxException(
          Failure.UNAVAILABLE,
          "a volume named "
              + volume
              + " exists but k3sbox did not label it; k3sbox will not use it:"
              + " remove or rename it, or pick another --name");
    }
    if (!invocation.made(labels)) {
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
        Failure.USAGE,
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
}
