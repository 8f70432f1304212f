package dev.k3sbox.core.cluster;

/** The user's say on privilege: {@code --privileged=always|never|auto}. */
public enum PrivilegeMode {
  /** Probe: the image's own label, else privileged, else host capabilities, else none. */
  AUTO,
  /** Privileged or fail. */
  ALWAYS,
  /** No extra privilege at all. */
  NEVER
}
