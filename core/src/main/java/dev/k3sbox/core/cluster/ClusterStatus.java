package dev.k3sbox.core.cluster;

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

  static ClusterStatus absent(String name, String detail) {
    return new ClusterStatus(
        name, "absent", false, null, null, null, null, null, null, null, null, detail);
  }
}
