package dev.k3sbox.core.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code up} recorded about a ready cluster, in its state folder. It lets {@code up} on a
 * running cluster answer from the file and one HTTPS request, without a Docker client.
 */
public record ClusterRecord(
    String name,
    String server,
    String image,
    String containerId,
    int apiPort,
    String bindAddress,
    String privilegeProfile,
    String networkMode,
    String kubernetesVersion) {
  /**
   * Made on first use, not with the class: {@code up} of a new cluster checks for a record first,
   * finds none, and should not pay a cold mapper's ~20 ms before it starts the server.
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /**
   * Makes the JSON mapper and its serializer for the record now, on a background thread: {@code up}
   * calls this once its server is booting, so that writing the record when the server is ready does
   * not wait for a cold mapper.
   */
  static void prepareInBackground() {
    CompletableFuture.runAsync(() -> Json.MAPPER.writerFor(ClusterRecord.class));
  }

  static Optional<ClusterRecord> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.MAPPER.readValue(file.toFile(), ClusterRecord.class));
    } catch (IOException e) {
      return Optional.empty(); // a torn or old record: the slow path rebuilds it
    }
  }

  void write(Path file) throws IOException {
    dev.k3sbox.core.kubeconfig.SecureFiles.writeAtomically(
        file, Json.MAPPER.writeValueAsString(this));
  }
}
