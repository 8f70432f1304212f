package dev.k3sbox.core.cluster;

/**
 * How much privilege the server container gets. A control plane without an agent runs no kubelet
 * and no containerd, so it may need none; sandboxes often refuse {@code --privileged} ("unable to
 * apply caps") while allowing the capabilities the host really has.
 */
public enum PrivilegeProfile {
  /** No extra privilege: the default container profile. */
  NONE,
  /** {@code --privileged}, as the seed experiment and rancher/k3s docs run it. */
  PRIVILEGED,
  /** The capabilities in the host's bounding set, plus unconfined seccomp and AppArmor. */
  CAPABILITIES;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
