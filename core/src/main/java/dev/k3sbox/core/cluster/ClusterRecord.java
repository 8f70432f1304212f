package dev.k3sbox.core.cluster;

import dev.k3sbox.core.state.SecureFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code up} recorded about a ready cluster, in its state folder. It lets {@code up} on a
 * running cluster answer from the file and one HTTPS request, without a Docker client.
 *
 * <p>A properties file, not JSON: reading a record with Jackson in a fresh JVM (the mapper and its
 * binding of this record) took ~80 ms of {@code status} and of {@code up} on a running cluster
 * (async-profiler, wall clock); {@link Properties} is in the JDK's own class-data archive.
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
    String kubernetesVersion,
    List<String> k3sArgs) {

  public ClusterRecord {
    k3sArgs = k3sArgs == null ? List.of() : List.copyOf(k3sArgs);
  }

  /**
   * The record in {@code file}; empty when there is none, or it is torn or from another version.
   */
  static Optional<ClusterRecord> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
      return Optional.of(
          new ClusterRecord(
              required(p, "name"),
              required(p, "server"),
              required(p, "image"),
              required(p, "containerId"),
              Integer.parseInt(required(p, "apiPort")),
              required(p, "bindAddress"),
              required(p, "privilegeProfile"),
              required(p, "networkMode"),
              required(p, "kubernetesVersion"),
              k3sArgs(p)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // the slow path rebuilds it
    }
  }

  void write(Path file) throws IOException {
    Properties p = new Properties();
    // Properties refuses null: an unknown value is written empty.
    p.setProperty("name", Objects.toString(name, ""));
    p.setProperty("server", Objects.toString(server, ""));
    p.setProperty("image", Objects.toString(image, ""));
    p.setProperty("containerId", Objects.toString(containerId, ""));
    p.setProperty("apiPort", Integer.toString(apiPort));
    p.setProperty("bindAddress", Objects.toString(bindAddress, ""));
    p.setProperty("privilegeProfile", Objects.toString(privilegeProfile, ""));
    p.setProperty("networkMode", Objects.toString(networkMode, ""));
    p.setProperty("kubernetesVersion", Objects.toString(kubernetesVersion, ""));
    for (int i = 0; i < k3sArgs.size(); i++) {
      p.setProperty("k3sArg." + i, k3sArgs.get(i));
    }
    StringWriter text = new StringWriter();
    p.store(text, "k3sbox: what `up` saw of this cluster when it was ready (a cache)");
    SecureFiles.writeAtomically(file, text.toString());
  }

  /** The recorded --k3s-arg values, in order; none in a record from before they were kept. */
  private static List<String> k3sArgs(Properties p) {
    List<String> args = new ArrayList<>();
    for (int i = 0; p.getProperty("k3sArg." + i) != null; i++) {
      args.add(p.getProperty("k3sArg." + i));
    }
    return args;
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }
}
