package dev.k3sbox.helm.install;

import dev.k3sbox.helm.cluster.ApplyOutcome;
import dev.k3sbox.helm.cluster.ObjectRef;
import java.util.List;

/**
 * What one install did.
 *
 * @param applied objects the server accepted, in the order they were sent
 * @param rejected objects the server refused, with its messages; nothing was pruned then
 * @param pruned objects of the previous install that the chart no longer renders, now deleted
 * @param notes what {@code --wait} waited for and what it did not, and why
 * @param present CRDs of the chart's crds/ folders that the cluster had already: not sent, as Helm
 *     creates those only when missing
 */
public record InstallResult(
    List<ApplyOutcome> applied,
    List<ApplyOutcome> rejected,
    List<ObjectRef> pruned,
    List<String> notes,
    List<ObjectRef> present) {

  public boolean succeeded() {
    return rejected.isEmpty();
  }
}
