package dev.k3sbox.helm.upgrade;

/** What an upgrade does to one object of the release. */
public enum UpgradeVerdict {
  /** The server refused the new object: the upgrade would fail here. */
  REJECTED,
  /** In the old release, not in the new: the upgrade deletes it. */
  DELETED,
  /** In the new release only. */
  ADDED,
  /** The server's object differs after the upgrade. */
  CHANGED,
  /** The server's object is the same after the upgrade. */
  UNCHANGED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
