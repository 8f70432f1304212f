package dev.k3sbox.core.doctor;

/** Every check doctor runs, in the order the report lists them. */
public enum CheckId {
  DAEMON("docker daemon"),
  STORAGE_DRIVER("storage driver"),
  ROOT_FILESYSTEM("docker root filesystem"),
  CGROUP("cgroup version"),
  CAPABILITIES_BOUNDING("capability bounding set"),
  PROBE_IMAGE("probe image"),
  PRIVILEGED("--privileged"),
  CAPABILITIES("explicit capabilities"),
  NETWORK_HOST("network host"),
  NETWORK_NONE("network none"),
  NETWORK_BRIDGE("network bridge"),
  NETWORK_USER_DEFINED("user-defined network"),
  PUBLISHED_PORT("published port"),
  BIND_MOUNT_RO("bind mount ro"),
  BIND_MOUNT_RW("bind mount rw"),
  NAMED_VOLUME("named volume"),
  TMPFS("tmpfs"),
  EXEC("background container + exec"),
  IMAGE_BUILD("image build"),
  FREE_DISK("free disk"),
  API_PORT("port 6443");

  private final String title;

  CheckId(String title) {
    this.title = title;
  }

  /** The name shown in the table and in the JSON {@code name} field. */
  public String title() {
    return title;
  }
}
