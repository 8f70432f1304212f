package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerState;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code up} on a cluster whose server container exists: a running one is checked, a stopped one
 * started, and a crash-looping one ({@link Crashes}) recreated on the same data volume.
 */
final class ServerReuse {
  private final ContainerEngine engine;
  private final Progress progress;

  /** Makes a new server container for a spec: how a crash-looping one is replaced. */
  private final Function<ClusterSpec, ServerInstance> create;

  ServerReuse(
      ContainerEngine engine, Progress progress, Function<ClusterSpec, ServerInstance> create) {
    this.engine = engine;
    this.progress = progress;
    this.create = create;
  }

  ServerInstance reuse(ContainerState c, ClusterSpec spec) {
    Map<String, String> labels = c.labels();
    String port = labels.get(Labels.API_PORT);
    if (port != null && !port.equals(Integer.toString(spec.apiPort()))) {
      progress.warn(
          "cluster "
              + spec.name()
              + " exists with API port "
              + port
              + "; --api-port is ignored"
              + " (run `k3sbox down --name "
              + spec.name()
              + "` first to change it)");
    }
    if (Crashes.isLooping(c, Instant.now())) {
      return recreate(c, spec);
    }
    if (c.running()) {
      progress.step("cluster " + spec.name() + " is running; checking it");
      return ServerInstance.of(c);
    }
    progress.step("starting the stopped cluster " + spec.name());
    // On the host network Docker starts it whatever holds its ports, and k3s then crash-loops.
    PortGuard.ensureFree(onRecordedPort(spec, labels));
    new ServerCreation(engine, progress).start(c.id(), spec);
    // The engine zeroes the restart count on a start: the count from before would hide a crash.
    return ServerInstance.of(
        engine.inspect(c.id()).orElseThrow(() -> ServerLookup.removedMeanwhile(spec.name())));
  }

  /**
   * A crash loop may come from the container (a lost tmpfs, a changed image) rather than the data:
   * the container is made afresh on the same data volume, from the same image.
   */
  private ServerInstance recreate(ContainerState c, ClusterSpec spec) {
    progress.warn(
        "cluster "
            + spec.name()
            + " is crash-looping ("
            + c.restartCount()
            + " restarts); recreating its container on the same data volume");
    // Stopped first, so that its own listeners are gone when the ports are checked: a port taken
    // by someone else is often the crash's cause, and recreating onto it would remove the cluster
    // and then fail. Stopped, it stays there, data and all, to start once free.
    engine.stop(c.id(), 5);
    // Where it was, as the warning above says: its recorded port, address and network.
    ClusterSpec where = onRecordedPort(spec, c.labels());
    PortGuard.ensureFree(where);
    engine.remove(c.id());
    return create.apply(where.image().isPresent() ? where : where.withImage(c.image()));
  }

  /** {@code spec} on the port, address and network an existing container was made with. */
  private static ClusterSpec onRecordedPort(ClusterSpec spec, Map<String, String> labels) {
    String port = labels.get(Labels.API_PORT);
    String bind = labels.get(Labels.BIND);
    String network = labels.get(Labels.NETWORK);
    return spec.onPort(
        port == null ? spec.apiPort() : Integer.parseInt(port),
        bind == null ? spec.bindAddress() : bind,
        NetworkMode.BRIDGE.label().equals(network)
            ? NetworkMode.BRIDGE
            : network == null ? spec.networkMode() : NetworkMode.HOST);
  }
}
