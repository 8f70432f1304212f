package dev.k3sbox.core.docker;

import com.github.dockerjava.api.DockerClient;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Docker client made and pinged on a second thread while the main thread still parses the command
 * line. In a fresh JVM docker-java's client costs ~80 ms before its first answer (class loading,
 * Jackson and HTTP set-up) and picocli's model of the command ~60 ms: on two cores they overlap,
 * and {@code up} starts its server ~30 ms sooner ({@code scripts/bench-up}). The first {@link
 * DockerDaemon#find} for the same address takes the client; where the ping failed, {@code find}
 * asks again itself, so a daemon started in between is not missed.
 */
public final class EarlyDockerClient {
  private record Pending(String host, CompletableFuture<DockerClient> client) {}

  private static final AtomicReference<Pending> PENDING = new AtomicReference<>();

  private EarlyDockerClient() {}

  /** Starts connecting to {@code DOCKER_HOST}, or the default socket, on a daemon thread. */
  public static void start() {
    String host = DockerClients.hostFromEnvironment();
    CompletableFuture<DockerClient> client = new CompletableFuture<>();
    PENDING.set(new Pending(host, client));
    Thread thread = new Thread(() -> client.complete(pinged(host)), "k3sbox-early-docker-client");
    thread.setDaemon(true);
    thread.start();
  }

  /** The client started for {@code host}, once, if its daemon answered the ping. */
  static Optional<DockerClient> take(String host) {
    Pending early = PENDING.getAndSet(null);
    if (early == null) {
      return Optional.empty();
    }
    Optional<DockerClient> client = Optional.ofNullable(early.client().join());
    if (!early.host().equals(host)) {
      client.ifPresent(DockerClients::closeQuietly);
      return Optional.empty();
    }
    return client;
  }

  /** Never throws: whatever goes wrong here, find() connects again and reports it. */
  private static DockerClient pinged(String host) {
    try {
      return DockerDaemon.pinged(host).orElse(null);
    } catch (Throwable e) { // an Error too: a future left open would hang find() for good
      return null;
    }
  }
}
