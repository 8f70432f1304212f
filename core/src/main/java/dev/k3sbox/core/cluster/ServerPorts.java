package dev.k3sbox.core.cluster;

import dev.k3sbox.core.host.PortCheck;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host ports a server binds on the host network, laid out as k3s lays them out ({@code
 * pkg/daemons/control/server.go}): its supervisor on the API port, on the bind address and on
 * loopback; the real kube-apiserver behind it on 127.0.0.1 at the API port + 1. The controller
 * manager (10257), scheduler (10259) and cloud controller (10258), fixed ports that two clusters
 * would fight over, are switched off by the flags {@link ServerRecipe} passes. On a bridge network
 * only the published API port reaches the host, and Docker checks it itself.
 */
final class ServerPorts {
  /** One address the server will listen on, and what listens there. */
  record Port(String address, int port, String role) {}

  private ServerPorts() {}

  static List<Port> of(ClusterSpec spec) {
    if (spec.networkMode() != NetworkMode.HOST) {
      return List.of();
    }
    int api = spec.apiPort();
    List<Port> ports = new ArrayList<>();
    ports.add(new Port(spec.bindAddress(), api, "the API port"));
    if (!ServerRecipe.isWildcard(spec.bindAddress()) && !isLoopback(spec.bindAddress())) {
      ports.add(new Port("127.0.0.1", api, "the API port, which k3s also opens on loopback"));
    }
    ports.add(
        new Port("127.0.0.1", api + 1, "where k3s's kube-apiserver listens, the API port + 1"));
    return ports;
  }

  /** The first port that cannot be bound now, with the system's reason. */
  static Optional<Busy> firstBusy(ClusterSpec spec) {
    return firstBusy(of(spec));
  }

  /** A port that cannot be bound, and why. */
  record Busy(Port port, String reason) {
    /** The address is not one of this machine's: no port would do. */
    boolean addressNotLocal() {
      return reason.contains("Cannot assign requested address");
    }
  }

  /**
   * An API port near {@code spec}'s whose every port is free now: the next ones up, two apart so
   * that a neighbour's kube-apiserver (its port + 1) is never suggested.
   */
  static Optional<Integer> freeApiPortNear(ClusterSpec spec) {
    return firstFreeApiPort(spec, spec.apiPort() + 2, 40);
  }

  /**
   * The first API port from {@code from} (within {@code span}, two apart) at which every port of
   * {@code spec}'s server is free now.
   */
  static Optional<Integer> firstFreeApiPort(ClusterSpec spec, int from, int span) {
    for (int candidate = from; candidate < from + span; candidate += 2) {
      if (candidate + 1 > 65535) {
        break;
      }
      int port = candidate;
      List<Port> ports = of(spec).stream().map(p -> movedTo(p, spec.apiPort(), port)).toList();
      if (firstBusy(ports).isEmpty()) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Port movedTo(Port p, int from, int to) {
    return new Port(p.address(), p.port() - from + to, p.role());
  }

  private static Optional<Busy> firstBusy(List<Port> ports) {
    for (Port p : ports) {
      Optional<String> why = PortCheck.whyBusy(new InetSocketAddress(p.address(), p.port()));
      if (why.isPresent()) {
        return Optional.of(new Busy(p, why.get()));
      }
    }
    return Optional.empty();
  }

  private static boolean isLoopback(String address) {
    return address.startsWith("127.") || address.equals("::1");
  }
}
