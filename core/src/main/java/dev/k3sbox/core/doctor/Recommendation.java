package dev.k3sbox.core.doctor;

import dev.k3sbox.core.cluster.NetworkMode;
import dev.k3sbox.core.cluster.PrivilegeProfile;
import java.util.List;

/**
 * What {@code up} will do on this machine, and why. The profile and mode are null when doctor could
 * not tell (no daemon, no image to probe with); the image is null when none is local yet.
 */
public record Recommendation(
    PrivilegeProfile privilegeProfile,
    NetworkMode networkMode,
    String image,
    List<String> reasons) {

  public Recommendation {
    reasons = List.copyOf(reasons);
  }
}
