package dev.k3sbox.core.kubeconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Adds or removes the cluster, user and context k3sbox owns in a kubeconfig's text, as kubectl
 * would, while keeping every other byte: the edits are made on the text at the positions the YAML
 * parser reports, never by re-serialising the whole document. Each result is checked by {@link
 * MergeVerification} before it is returned, so a text k3sbox cannot edit safely is refused, never
 * written.
 */
final class KubeconfigTextMerge {
  private KubeconfigTextMerge() {}

  /** The text with entries named {@code name} added (or replaced) and made current. */
  static String upsert(String text, String name, Kubeconfig kubeconfig) {
    if (text.isBlank()) {
      return kubeconfig.toYaml(name);
    }
    KubeconfigDocument doc = KubeconfigDocument.parse(text);
    List<TextEdit> edits = new ArrayList<>();
    StringBuilder appended = new StringBuilder();
    for (String list : KubeconfigEntries.LISTS) {
      Optional<NodeTuple> tuple = doc.entry(list);
      if (tuple.isEmpty()) {
        appended
            .append(list)
            .append(":\n")
            .append(KubeconfigEntries.item(list, name, kubeconfig, ""));
        continue;
      }
      Node value = tuple.get().getValueNode();
      if (value instanceof SequenceNode seq
          && seq.getFlowStyle() == FlowStyle.BLOCK
          && !seq.getValue().isEmpty()) {
        String indent = doc.indentOf(seq.getValue().get(0));
        int end = doc.removeNamed(seq, name, edits);
        edits.add(new TextEdit(end, end, KubeconfigEntries.item(list, name, kubeconfig, indent)));
      } else if (isEmpty(value)) {
        // The line's own newline stays after the replaced value: do not add a second one.
        String items = KubeconfigEntries.item(list, name, kubeconfig, "");
        edits.add(doc.replaceValue(tuple.get(), ":\n" + items.substring(0, items.length() - 1)));
      } else {
        throw doc.unsupported(list);
      }
    }
    Optional<NodeTuple> current = doc.entry("current-context");
    if (current.isPresent()) {
      edits.add(doc.replaceValue(current.get(), ": " + name));
    } else {
      appended.append("current-context: ").append(name).append('\n');
    }
    String result = doc.apply(edits, appended.toString());
    MergeVerification.upserted(result, name);
    return result;
  }

  /**
   * The text without entries named {@code name}, and with current-context emptied if it was that
   * one; the very same text when there is nothing to remove.
   */
  static String remove(String text, String name) {
    if (text.isBlank()) {
      return text;
    }
    KubeconfigDocument doc = KubeconfigDocument.parse(text);
    List<TextEdit> edits = new ArrayList<>();
    for (String list : KubeconfigEntries.LISTS) {
      doc.entry(list)
          .map(NodeTuple::getValueNode)
          .filter(v -> v instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.BLOCK)
          .ifPresent(v -> doc.removeNamed((SequenceNode) v, name, edits));
    }
    doc.entry("current-context")
        .filter(t -> name.equals(KubeconfigDocument.scalar(t.getValueNode())))
        .ifPresent(t -> edits.add(doc.replaceValue(t, ": \"\"")));
    if (edits.isEmpty()) {
      return text;
    }
    String result = doc.apply(edits, "");
    MergeVerification.removed(result, name);
    return result;
  }

  private static boolean isEmpty(Node value) {
    return (value instanceof ScalarNode s
            && (s.getValue().isEmpty() || s.getValue().equals("null") || s.getValue().equals("~")))
        || (value instanceof SequenceNode seq && seq.getValue().isEmpty());
  }
}
