package dev.k3sbox.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortCheckTest {
  @Test
  void shouldSeeAPortBusyWhileASocketHoldsItAndFreeOnceItIsClosed() throws Exception {
    // Given
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ServerSocket holder = new ServerSocket(0, 1, loopback);
    InetSocketAddress address = new InetSocketAddress(loopback, holder.getLocalPort());

    // When / Then
    assertThat(PortCheck.whyBusy(address)).get().asString().contains("in use");
    holder.close();
    assertThat(PortCheck.whyBusy(address)).isEmpty();
  }

  @Test
  void shouldNameAnAddressThatCannotBeResolved() {
    // Given
    InetSocketAddress unresolved = InetSocketAddress.createUnresolved("no-such-host.invalid", 6443);

    // When / Then
    assertThat(PortCheck.whyBusy(unresolved)).isPresent();
  }
}
