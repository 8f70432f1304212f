package dev.k3sbox.core.host;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/**
 * Whether a server could listen on an address right now. Asked as the server binds: with
 * SO_REUSEADDR (k3s, like any Go listener, sets it), so that connections a removed cluster left in
 * TIME_WAIT do not count as a listener; only a socket that holds the port does.
 */
public final class PortCheck {
  private PortCheck() {}

  /**
   * The first even port from {@code from} (within 200) where a server could listen on {@code host}
   * at it and at the next one, as k3s does (its API port, its kube-apiserver on + 1).
   */
  public static java.util.OptionalInt freePortPair(String host, int from) {
    for (int port = from + (from % 2); port < from + 200 && port < 65535; port += 2) {
      if (whyBusy(new InetSocketAddress(host, port)).isEmpty()
          && whyBusy(new InetSocketAddress(host, port + 1)).isEmpty()) {
        return java.util.OptionalInt.of(port);
      }
    }
    return java.util.OptionalInt.empty();
  }

  /** Why {@code address} cannot be bound now, in the system's words; empty when it can. */
  public static Optional<String> whyBusy(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(address);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }
}
