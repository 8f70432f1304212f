package dev.k3sbox.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BootProbeTest {
  private final AtomicInteger readyz = new AtomicInteger();
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/readyz",
        exchange -> {
          exchange.sendResponseHeaders(readyz.get(), -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @ParameterizedTest
  @CsvSource({"200, READY", "401, READY", "403, SERVING", "404, SERVING", "500, BOOTING"})
  void shouldJudgeTheStageFromTheAnonymousReadyzCode(int code, BootProbe.Stage expected) {
    readyz.set(code);
    String url = "http://127.0.0.1:" + server.getAddress().getPort();

    assertThat(new BootProbe(url).stage()).isEqualTo(expected);
  }

  @Test
  void shouldSeeAClosedPortAsBooting() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    assertThat(new BootProbe("https://127.0.0.1:" + port).stage())
        .isEqualTo(BootProbe.Stage.BOOTING);
  }
}
