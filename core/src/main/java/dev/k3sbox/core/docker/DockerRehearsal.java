package dev.k3sbox.core.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DockerClientConfig;
import dev.k3sbox.core.engine.ContainerEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Docker's half of {@code cluster.UpRehearsal}, the class-data training of {@code up}: an engine on
 * a socket that does not exist, after the requests {@code up} makes outside the port (ping, info,
 * version) have been sent and refused, and after each kind of answer {@code up} reads has been read
 * once from an empty JSON object (as a tree, or bound to the docker-java types it still binds).
 */
public final class DockerRehearsal {
  private DockerRehearsal() {}

  /**
   * The engine for the rest of the rehearsal; {@code dir} holds the socket path that is not there.
   */
  public static ContainerEngine engineWithoutDaemon(Path dir) {
    String host = "unix://" + dir.resolve("no-docker.sock");
    DockerClient docker = DockerClients.connect(host, Duration.ofSeconds(1));
    List<Runnable> requests =
        List.of(
            () -> docker.pingCmd().exec(),
            () -> docker.infoCmd().exec(),
            () -> docker.versionCmd().exec());
    for (Runnable request : requests) {
      try {
        request.run();
      } catch (RuntimeException e) {
        // refused: the socket does not exist
      }
    }
    var json = DockerClientConfig.getDefaultObjectMapper();
    DockerImages.summaryOf(json.createObjectNode());
    ContainerJson.stateOf(json.createObjectNode());
    DockerRequests.labels(json.createObjectNode().putObject("Labels").put("k", "v"));
    for (Class<?> answer : List.of(Event.class, Info.class, Version.class)) {
      try {
        json.readValue("{}", answer);
      } catch (IOException e) {
        throw new IllegalStateException(e); // "{}" binds to each of them
      }
    }
    return DockerEngine.on(docker, host);
  }
}
