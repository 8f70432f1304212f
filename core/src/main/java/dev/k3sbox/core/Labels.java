package dev.k3sbox.core;

/**
 * The labels on everything k3sbox creates. k3sbox finds its containers and volumes by these, never
 * by name alone, and touches nothing that lacks {@link #MANAGED}.
 */
public final class Labels {
  public static final String MANAGED = "dev.k3sbox.managed";
  public static final String CLUSTER = "dev.k3sbox.cluster";
  public static final String INVOCATION = "dev.k3sbox.invocation";
  public static final String VERSION = "dev.k3sbox.version";
  public static final String ROLE = "dev.k3sbox.role";
  public static final String PRIVILEGE = "dev.k3sbox.privilege";
  public static final String NETWORK = "dev.k3sbox.network";
  public static final String API_PORT = "dev.k3sbox.api-port";
  public static final String BIND = "dev.k3sbox.bind";

  /**
   * The state dir ({@code K3SBOX_HOME}) of the k3sbox that made a cluster: {@code down --all}
   * removes only the clusters of its own state dir, since another user or CI job may share the
   * daemon.
   */
  public static final String STATE_DIR = "dev.k3sbox.state-dir";

  /**
   * On a data volume: the kind of server that made it ({@code standin} or {@code k3s}). k3s adopts
   * whatever datastore it finds in its data directory (the stand-in's etcd included), so a volume
   * is only ever reused by a server of the kind that made it.
   */
  public static final String SERVER_KIND = "dev.k3sbox.server-kind";

  /** Image labels set by {@code k3sbox image build}. */
  public static final String IMAGE_FLAVOR = "dev.k3sbox.image.flavor";

  public static final String IMAGE_VERSION = "dev.k3sbox.image.version";
  public static final String IMAGE_SOURCE = "dev.k3sbox.image.source";

  /** A digest of what an image was built from: the same digest means the same image. */
  public static final String IMAGE_DIGEST = "dev.k3sbox.image.digest";

  /** The privilege an image's server needs, when its builder knows ("none" for the stand-in). */
  public static final String IMAGE_PRIVILEGE = "dev.k3sbox.image.privilege";

  private Labels() {}
}
