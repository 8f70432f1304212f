package dev.k3sbox.core.kubeconfig;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * A kubeconfig's text with its YAML node tree, and the {@link TextEdit}s that change one part of
 * it: positions are string offsets, so everything outside an edit keeps its bytes (comments,
 * quoting, key order).
 */
record KubeconfigDocument(String text, MappingNode root, CodePointOffsets offsets) {

  static KubeconfigDocument parse(String text) {
    try {
      // snakeyaml-engine refuses documents over 3 MiB by default; a kubeconfig of many
      // clusters can be larger, and it is the user's own file.
      LoadSettings settings =
          LoadSettings.builder().setUseMarks(true).setCodePointLimit(Integer.MAX_VALUE).build();
      Composer composer =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      Optional<Node> node = composer.getSingleNode();
      if (node.isEmpty() || !(node.get() instanceof MappingNode root)) {
        throw invalid("it is not a YAML mapping");
      }
      return new KubeconfigDocument(text, root, CodePointOffsets.of(text));
    } catch (YamlEngineException e) {
      throw invalid(e.getMessage().lines().findFirst().orElse("it is not YAML"));
    }
  }

  /** The top-level entry {@code key}, if the document has one. */
  Optional<NodeTuple> entry(String key) {
    return root.getValue().stream().filter(t -> key.equals(scalar(t.getKeyNode()))).findFirst();
  }

  /** The scalar value of the top-level entry {@code key}, if it has one. */
  Optional<String> scalarEntry(String key) {
    return entry(key).map(t -> scalar(t.getValueNode()));
  }

  /** Adds deletions of the items named {@code name}; returns where a new item would go. */
  int removeNamed(SequenceNode seq, String name, List<TextEdit> edits) {
    int end = 0;
    for (Node item : seq.getValue()) {
      int start = lineStart(offsets.offset(item.getStartMark()));
      int itemEnd = lineEnd(lastOffset(item));
      if (name.equals(nameOf(item))) {
        edits.add(new TextEdit(start, itemEnd, ""));
      }
      end = Math.max(end, itemEnd);
    }
    return end;
  }

  /** Replaces everything after a key (its colon and value) up to the value's end. */
  TextEdit replaceValue(NodeTuple tuple, String replacement) {
    int keyEnd = offsets.offset(tuple.getKeyNode().getEndMark());
    int valueEnd =
        Math.max(offsets.offset(tuple.getValueNode().getEndMark()), text.indexOf(':', keyEnd) + 1);
    // An absent value ("key:" alone) ends where it starts; a quoted "" has its quotes to replace.
    if (tuple.getValueNode() instanceof ScalarNode s
        && s.getValue().isEmpty()
        && s.getScalarStyle() == ScalarStyle.PLAIN) {
      valueEnd = text.indexOf(':', keyEnd) + 1;
    }
    if (tuple.getValueNode() instanceof SequenceNode) {
      valueEnd = lineEnd(valueEnd - 1);
      replacement = replacement.endsWith("\n") ? replacement : replacement + "\n";
    }
    return new TextEdit(keyEnd, valueEnd, replacement);
  }

  /** The spaces that start the line of {@code item}, for a new sibling to match. */
  String indentOf(Node item) {
    int start = lineStart(offsets.offset(item.getStartMark()));
    int i = start;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return text.substring(start, i);
  }

  String apply(List<TextEdit> edits, String appended) {
    return TextEdit.apply(text, edits, appended);
  }

  K3sboxException unsupported(String list) {
    return new K3sboxException(
        Failure.KUBECONFIG,
        "the kubeconfig writes '"
            + list
            + "' in a form k3sbox does not edit (flow style);"
            + " pass --no-merge, or rewrite it with `kubectl config view --raw`");
  }

  /** The value of an item's {@code name} key, or null when it has none. */
  static String nameOf(Node item) {
    if (item instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if ("name".equals(scalar(t.getKeyNode()))) {
          return scalar(t.getValueNode());
        }
      }
    }
    return null;
  }

  static String scalar(Node n) {
    return n instanceof ScalarNode s ? s.getValue() : null;
  }

  /**
   * Where the text of {@code node} ends. A block collection's own end mark lies at the next token,
   * past the comments and blank lines after it, which belong to the user and must survive a
   * removal: so it ends where its last child does.
   */
  private int lastOffset(Node node) {
    int max = offsets.offset(node.getEndMark());
    if (node instanceof MappingNode m) {
      max = 0;
      for (NodeTuple t : m.getValue()) {
        max = Math.max(max, Math.max(lastOffset(t.getKeyNode()), lastOffset(t.getValueNode())));
      }
    } else if (node instanceof SequenceNode s
        && s.getFlowStyle() == FlowStyle.BLOCK
        && !s.getValue().isEmpty()) {
      max = 0;
      for (Node child : s.getValue()) {
        max = Math.max(max, lastOffset(child));
      }
    }
    return max;
  }

  private int lineStart(int offset) {
    return text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  }

  /** The offset just past the newline ending the line that holds {@code offset}. */
  private int lineEnd(int offset) {
    int nl = text.indexOf('\n', Math.max(0, offset));
    return nl < 0 ? text.length() : nl + 1;
  }

  private static K3sboxException invalid(String why) {
    return new K3sboxException(
        Failure.KUBECONFIG,
        "the kubeconfig does not parse ("
            + why
            + "); k3sbox left it unchanged: fix it, or pass --no-merge");
  }
}
