package dev.k3sbox.core.cluster;

/** How the server container is networked. */
public enum NetworkMode {
  /** The host's network: works where bridge networking is refused (gVisor). The default. */
  HOST,
  /** Docker's bridge with the API port published on the bind address: isolation where allowed. */
  BRIDGE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
