package dev.k3sbox.core.kubeconfig;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Parses an edited kubeconfig again before it may replace the user's file, and refuses it unless it
 * says what the edit meant: the text edits work on positions, and a form of YAML they do not
 * foresee would otherwise be written out broken or with the wrong entries.
 */
final class MergeVerification {
  private MergeVerification() {}

  /** Passes when {@code result} has every entry named {@code name} and that current-context. */
  static void upserted(String result, String name) {
    KubeconfigDocument doc = reparse(result);
    checkLists(doc, name, true);
    if (!name.equals(doc.scalarEntry("current-context").orElse(null))) {
      throw new K3sboxException(
          Failure.KUBECONFIG,
          "k3sbox could not set current-context in this kubeconfig safely and left it unchanged;"
              + " pass --no-merge and use the file under ~/.k3sbox instead");
    }
  }

  /** Passes when {@code result} has no entry named {@code name} left. */
  static void removed(String result, String name) {
    checkLists(reparse(result), name, false);
  }

  private static KubeconfigDocument reparse(String result) {
    try {
      return KubeconfigDocument.parse(result);
    } catch (K3sboxException e) {
      throw new K3sboxException(
          Failure.KUBECONFIG,
          "k3sbox could not edit this kubeconfig safely and left it unchanged; pass --no-merge and"
              + " use the file under ~/.k3sbox instead");
    }
  }

  private static void checkLists(KubeconfigDocument doc, String name, boolean present) {
    for (String list : KubeconfigEntries.LISTS) {
      boolean has =
          doc.entry(list)
              .map(NodeTuple::getValueNode)
              .filter(SequenceNode.class::isInstance)
              .map(
                  v ->
                      ((SequenceNode) v)
                          .getValue().stream()
                              .anyMatch(i -> name.equals(KubeconfigDocument.nameOf(i))))
              .orElse(false);
      if (has != present) {
        throw new K3sboxException(
            Failure.KUBECONFIG,
            "k3sbox could not edit the "
                + list
                + " of this kubeconfig safely and left it unchanged;"
                + " pass --no-merge and use the file under ~/.k3sbox instead");
      }
    }
  }
}
