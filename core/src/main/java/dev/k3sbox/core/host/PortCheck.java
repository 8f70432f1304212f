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
