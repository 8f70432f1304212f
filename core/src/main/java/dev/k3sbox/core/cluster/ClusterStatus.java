package dev.k3sbox.core.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What {@code status} reports. {@code state} is one of running, stopped, absent, unhealthy; {@code
 * detail} says why when it is not running.
 */
public record ClusterStatus(
    String name,
    String state,
    boolean ready,
    String server,
    String image,
    String kubernetesVersion,
    String privilegeProfile,
    String networkMode,
    String storageDriver,
    String uptime,
    String memory,
    String detail) {

  /** As {@code status -o json} prints it: one object, every field, indented. */
  public String toJson() {
    return json(this);
  }

  /** As {@code list -o json} prints them: an array of {@link #toJson} objects. */
  public static String toJson(List<ClusterStatus> clusters) {
    return json(clusters);
  }

  private static String json(Object value) {
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ClusterStatus absent(String name, String detail) {
    return new ClusterStatus(
        name, "absent", false, null, null, null, null, null, null, null, null, detail);
  }
}
