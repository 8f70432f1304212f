package dev.k3sbox.helm.upgrade;

import dev.k3sbox.helm.cluster.ObjectRef;
import java.util.List;

/**
 * One object of an upgrade check.
 *
 * @param ref the object
 * @param source its template ({@code # Source:}), or null for what only the old release had
 * @param verdict what the upgrade does to it
 * @param details the server's words for a rejection; the changed fields for a change
 */
public record UpgradeEntry(
    ObjectRef ref, String source, UpgradeVerdict verdict, List<String> details) {
  public UpgradeEntry {
    details = List.copyOf(details);
  }
}
