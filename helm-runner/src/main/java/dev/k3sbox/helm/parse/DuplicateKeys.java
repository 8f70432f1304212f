package dev.k3sbox.helm.parse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
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
 * Finds keys written twice in one mapping of a rendered object. YAML loaders keep the last one
 * silently, so neither strict field validation nor any schema check downstream can see them: they
 * are found here, on the rendered text, with their path and line.
 */
final class DuplicateKeys {
  private DuplicateKeys() {}

  static List<String> in(String document) {
    List<String> found = new ArrayList<>();
    try {
      LoadSettings settings = LoadSettings.builder().setAllowDuplicateKeys(true).build();
      Optional<Node> root =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, document)))
              .getSingleNode();
      root.ifPresent(n -> walk(n, "", found));
    } catch (YamlEngineException e) {
      // Not YAML: the parser that follows reports it with the template named.
    }
    return found;
  }

  /** The document as plain maps and lists, a repeated key keeping its last value. */
  static Object loadLastWins(String document) {
    return new Load(LoadSettings.builder().setAllowDuplicateKeys(true).build())
        .loadFromString(document);
  }

  private static void walk(Node node, String path, List<String> found) {
    if (node instanceof MappingNode mapping) {
      Set<String> seen = new HashSet<>();
      for (NodeTuple t : mapping.getValue()) {
        String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
        String child = key == null ? path : (path.isEmpty() ? key : path + "." + key);
        if (key != null && !seen.add(key)) {
          int line = t.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0);
          found.add(
              "duplicate field \""
                  + child
                  + "\" (line "
                  + line
                  + " of the rendered object): only its last value reaches the API server;"
                  + " remove one");
        }
        walk(t.getValueNode(), child, found);
      }
    } else if (node instanceof SequenceNode sequence) {
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        walk(items.get(i), path + "[" + i + "]", found);
      }
    }
  }
}
