package dev.k3sbox.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A real {@code kubectl proxy} (the server image's own kubectl) in front of the shared cluster, on
 * plain HTTP at 127.0.0.1, as users run it to reach a cluster without its credentials. Host
 * network: the proxy reaches the cluster at the address its kubeconfig names, and the tests reach
 * the proxy.
 */
public final class KubectlProxy implements AutoCloseable {
  private final GenericContainer<?> container;
  private final int port;

  private KubectlProxy(GenericContainer<?> container, int port) {
    this.container = container;
    this.port = port;
  }

  public static KubectlProxy start(Path kubeconfig) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse(SharedK3s.image()))
            .withNetworkMode("host")
            .withCopyFileToContainer(MountableFile.forHostPath(kubeconfig), "/kubeconfig.yaml")
            .withCommand("kubectl", "proxy", "--port=" + port, "--kubeconfig=/kubeconfig.yaml")
            .waitingFor(
                Wait.forLogMessage(".*Starting to serve on.*", 1)
                    .withStartupTimeout(Duration.ofMinutes(1)));
    try {
      container.start();
    } catch (RuntimeException e) {
      container.stop(); // Ryuk is off in these tests: nothing else would remove it
      throw e;
    }
    return new KubectlProxy(container, port);
  }

  /** A kubeconfig that names the proxy: plain HTTP, no credentials. */
  public Path kubeconfig(Path dir) throws IOException {
    Path file = dir.resolve("proxy-kubeconfig.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: proxy, cluster: {server: "http://127.0.0.1:%d"}}]
        users: [{name: proxy, user: {}}]
        contexts: [{name: proxy, context: {cluster: proxy, user: proxy}}]
        current-context: proxy
        """
            .formatted(port));
    return file;
  }

  @Override
  public void close() {
    container.stop();
  }
}
