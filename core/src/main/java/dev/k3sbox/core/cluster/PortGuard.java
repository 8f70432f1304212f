package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.util.Optional;

/** Busy ports, before a server is made and when the engine refuses to start one. */
final class PortGuard {
  private PortGuard() {}

  /**
   * Before anything is created: every port the server will bind on the host (see {@link
   * ServerPorts}), not only the API port, is free.
   */
  static void ensureFree(ClusterSpec spec) {
    Optional<ServerPorts.Busy> busy = ServerPorts.firstBusy(spec);
    if (busy.isEmpty()) {
      return;
    }
    ServerPorts.Port port = busy.get().port();
    if (busy.get().addressNotLocal()) {
      throw new K3sboxException(
          Failure.USAGE,
          "--bind "
              + port.address()
              + " is not an address of this machine ("
              + busy.get().reason()
              + "); use 127.0.0.1 (default), 0.0.0.0, or one of this machine's addresses");
    }
    throw new K3sboxException(
        Failure.PORT_IN_USE,
        "port "
            + port.port()
            + " on "
            + port.address()
            + " is in use ("
            + busy.get().reason()
            + "), and it is "
            + port.role()
            + "; "
            + advice(spec));
  }

  /** The engine's refusal to start a server on a taken port, said as k3sbox says it. */
  static K3sboxException inUse(ClusterSpec spec, String reason) {
    return new K3sboxException(
        Failure.PORT_IN_USE,
        "port "
            + spec.apiPort()
            + " on "
            + spec.bindAddress()
            + " is in use ("
            + reason
            + "); "
            + advice(spec));
  }

  /** Whether an engine's refusal to start a container is about a taken port. */
  static boolean isConflict(String reason) {
    return reason.contains("port is already allocated")
        || reason.contains("address already in use");
  }

  private static String advice(ClusterSpec spec) {
    return ServerPorts.freeApiPortNear(spec)
            .map(p -> "pick another with --api-port (e.g. --api-port " + p + ")")
            .orElse("pick another with --api-port")
        + " or stop what listens there";
  }
}
