package dev.k3sbox.core.kubeconfig;

import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.state.SecureFiles;
import dev.k3sbox.core.state.UserHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Adds or removes the cluster, user and context k3sbox owns in a user's kubeconfig, as kubectl
 * would, while keeping every other byte of the file: the edits are made on the text at the
 * positions the YAML parser reports, never by re-serialising the whole document. The result is
 * parsed again before it replaces the file; a file k3sbox cannot edit safely is left as it was and
 * reported.
 */
public final class KubeconfigMerger {
  private static final List<String> LISTS = List.of("clusters", "contexts", "users");
  private static final Duration LOCK_WAIT = Duration.ofSeconds(30);
  private static final Duration LOCK_STALE = Duration.ofMinutes(2);

  private final List<Path> chain;

  /** The files named by {@code $KUBECONFIG}, else {@code ~/.kube/config}. */
  public static KubeconfigMerger fromEnvironment() {
    String env = System.getenv("KUBECONFIG");
    List<Path> chain =
        env == null
            ? List.of()
            : Arrays.stream(env.split(":")).filter(s -> !s.isBlank()).map(Path::of).toList();
    // An empty chain (unset, "" or ":") means the default file, as it does to client-go.
    return new KubeconfigMerger(
        chain.isEmpty() ? List.of(UserHome.get().resolve(".kube").resolve("config")) : chain);
  }

  public KubeconfigMerger(List<Path> chain) {
    this.chain = List.copyOf(chain);
  }

  /**
   * The file new entries go to, chosen as client-go does: the first file of the chain that exists,
   * else the last one.
   */
  public Path destination() {
    return chain.stream().filter(Files::exists).findFirst().orElse(chain.get(chain.size() - 1));
  }

  /** Adds (or replaces) entries named {@code name} and makes that context current. */
  public Path upsert(String name, Kubeconfig kubeconfig) {
    Path file = resolve(destination());
    edit(file, text -> upsertText(text, name, kubeconfig));
    return file;
  }

  /**
   * Fails as {@link #upsert} would when the destination cannot be edited (it does not parse, or has
   * a form k3sbox does not edit), so {@code up} can refuse before it creates anything. Writes
   * nothing.
   */
  public void checkEditable(String name) {
    Path file = resolve(destination());
    if (!Files.exists(file)) {
      return;
    }
    try {
      upsertText(
          Files.readString(file, StandardCharsets.UTF_8),
          name,
          new Kubeconfig("https://127.0.0.1:1", "CA", "CERT", "KEY", null));
    } catch (IOException e) {
      throw new K3sboxException(
          ExitCode.KUBECONFIG,
          "cannot read kubeconfig " + file + ": " + e.getMessage() + "; pass --no-merge to skip it",
          e);
    }
  }

  /** Removes entries named {@code name} from every file of the chain that has them. */
  public void remove(String name) {
    for (Path p : chain) {
      if (Files.isRegularFile(p)) {
        edit(resolve(p), text -> removeText(text, name));
      }
    }
  }

  private interface TextEdit {
    String apply(String text);
  }

  private static void edit(Path file, TextEdit edit) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (AutoCloseable lock = SecureFiles.lockLikeClientGo(file, LOCK_WAIT, LOCK_STALE)) {
        String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        String after = edit.apply(before);
        if (!after.equals(before) || !Files.exists(file)) {
          SecureFiles.writeAtomically(file, after);
        }
      }
    } catch (K3sboxException e) {
      throw e;
    } catch (Exception e) {
      throw new K3sboxException(
          ExitCode.KUBECONFIG,
          "cannot update kubeconfig "
              + file
              + ": "
              + e.getMessage()
              + "; pass --no-merge to skip it",
          e);
    }
  }

  /** Follows a symlinked kubeconfig to the file kubectl would write. */
  private static Path resolve(Path p) {
    try {
      return Files.exists(p) ? p.toRealPath() : p.toAbsolutePath();
    } catch (IOException e) {
      return p.toAbsolutePath();
    }
  }

  static String upsertText(String text, String name, Kubeconfig kubeconfig) {
    if (text.isBlank()) {
      return kubeconfig.toYaml(name);
    }
    Document doc = Document.parse(text);
    List<Edit> edits = new ArrayList<>();
    StringBuilder appended = new StringBuilder();
    for (String list : LISTS) {
      Optional<NodeTuple> tuple = doc.entry(list);
      if (tuple.isEmpty()) {
        appended.append(list).append(":\n").append(render(list, name, kubeconfig, ""));
        continue;
      }
      Node value = tuple.get().getValueNode();
      if (value instanceof SequenceNode seq
          && seq.getFlowStyle() == FlowStyle.BLOCK
          && !seq.getValue().isEmpty()) {
        String indent = doc.indentOf(seq.getValue().get(0));
        int end = doc.removeNamed(seq, name, edits);
        edits.add(new Edit(end, end, render(list, name, kubeconfig, indent)));
      } else if (isEmpty(value)) {
        // The line's own newline stays after the replaced value: do not add a second one.
        String items = render(list, name, kubeconfig, "");
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
    verify(result, name, true);
    if (!name.equals(
        Document.parse(result)
            .entry("current-context")
            .map(t -> scalar(t.getValueNode()))
            .orElse(null))) {
      throw new K3sboxException(
          ExitCode.KUBECONFIG,
          "k3sbox could not set current-context in this kubeconfig safely and left it unchanged;"
              + " pass --no-merge and use the file under ~/.k3sbox instead");
    }
    return result;
  }

  static String removeText(String text, String name) {
    if (text.isBlank()) {
      return text;
    }
    Document doc = Document.parse(text);
    List<Edit> edits = new ArrayList<>();
    for (String list : LISTS) {
      doc.entry(list)
          .map(NodeTuple::getValueNode)
          .filter(v -> v instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.BLOCK)
          .ifPresent(v -> doc.removeNamed((SequenceNode) v, name, edits));
    }
    doc.entry("current-context")
        .filter(t -> name.equals(scalar(t.getValueNode())))
        .ifPresent(t -> edits.add(doc.replaceValue(t, ": \"\"")));
    if (edits.isEmpty()) {
      return text;
    }
    String result = doc.apply(edits, "");
    verify(result, name, false);
    return result;
  }

  private static String render(String list, String name, Kubeconfig k, String indent) {
    return switch (list) {
      case "clusters" -> KubeconfigEntries.cluster(name, k, indent);
      case "contexts" -> KubeconfigEntries.context(name, indent);
      default -> KubeconfigEntries.user(name, k, indent);
    };
  }

  private static void verify(String result, String name, boolean present) {
    Document doc;
    try {
      doc = Document.parse(result);
    } catch (K3sboxException e) {
      throw new K3sboxException(
          ExitCode.KUBECONFIG,
          "k3sbox could not edit this kubeconfig safely and left it unchanged; pass --no-merge and"
              + " use the file under ~/.k3sbox instead");
    }
    for (String list : LISTS) {
      boolean has =
          doc.entry(list)
              .map(NodeTuple::getValueNode)
              .filter(SequenceNode.class::isInstance)
              .map(
                  v -> ((SequenceNode) v).getValue().stream().anyMatch(i -> name.equals(nameOf(i))))
              .orElse(false);
      if (has != present) {
        throw new K3sboxException(
            ExitCode.KUBECONFIG,
            "k3sbox could not edit the "
                + list
                + " of this kubeconfig safely and left it unchanged;"
                + " pass --no-merge and use the file under ~/.k3sbox instead");
      }
    }
  }

  private static boolean isEmpty(Node value) {
    return (value instanceof ScalarNode s
            && (s.getValue().isEmpty() || s.getValue().equals("null") || s.getValue().equals("~")))
        || (value instanceof SequenceNode seq && seq.getValue().isEmpty());
  }

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

  private static String scalar(Node n) {
    return n instanceof ScalarNode s ? s.getValue() : null;
  }

  /** Replace text[start, end) with {@code replacement}. */
  private record Edit(int start, int end, String replacement) {}

  /**
   * A kubeconfig's text with its YAML node tree, positions in string offsets.
   *
   * @param charOffsets code point index → char offset, or null when every code point is one char
   */
  private record Document(String text, MappingNode root, int[] charOffsets) {
    static Document parse(String text) {
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
        return new Document(text, root, charOffsets(text));
      } catch (YamlEngineException e) {
        throw invalid(e.getMessage().lines().findFirst().orElse("it is not YAML"));
      }
    }

    Optional<NodeTuple> entry(String key) {
      return root.getValue().stream().filter(t -> key.equals(scalar(t.getKeyNode()))).findFirst();
    }

    /** Adds deletions of the items named {@code name}; returns where a new item would go. */
    int removeNamed(SequenceNode seq, String name, List<Edit> edits) {
      int end = 0;
      for (Node item : seq.getValue()) {
        int start = lineStart(offset(item.getStartMark()));
        int itemEnd = lineEnd(lastOffset(item));
        if (name.equals(nameOf(item))) {
          edits.add(new Edit(start, itemEnd, ""));
        }
        end = Math.max(end, itemEnd);
      }
      return end;
    }

    /** Replaces everything after a key (its colon and value) up to the value's end. */
    Edit replaceValue(NodeTuple tuple, String replacement) {
      int keyEnd = offset(tuple.getKeyNode().getEndMark());
      int valueEnd =
          Math.max(offset(tuple.getValueNode().getEndMark()), text.indexOf(':', keyEnd) + 1);
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
      return new Edit(keyEnd, valueEnd, replacement);
    }

    String indentOf(Node item) {
      int start = lineStart(offset(item.getStartMark()));
      int i = start;
      while (i < text.length() && text.charAt(i) == ' ') {
        i++;
      }
      return text.substring(start, i);
    }

    String apply(List<Edit> edits, String appended) {
      StringBuilder b = new StringBuilder(text);
      edits.stream()
          .sorted(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end).reversed())
          .forEach(e -> b.replace(e.start(), e.end(), e.replacement()));
      if (!appended.isEmpty()) {
        if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') {
          b.append('\n');
        }
        b.append(appended);
      }
      return b.toString();
    }

    K3sboxException unsupported(String list) {
      return new K3sboxException(
          ExitCode.KUBECONFIG,
          "the kubeconfig writes '"
              + list
              + "' in a form k3sbox does not edit (flow style);"
              + " pass --no-merge, or rewrite it with `kubectl config view --raw`");
    }

    private int lastOffset(Node node) {
      int max = offset(node.getEndMark());
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

    /**
     * Marks count code points; Java strings count UTF-16 units. The two agree unless the text has
     * characters outside the BMP, and then a table made once maps one to the other: converting from
     * the start of the text for every mark made a merge quadratic in the file's size (29 s for `up`
     * with 300 contexts in the user's kubeconfig, 103 s with 600).
     */
    private int offset(Optional<Mark> mark) {
      int codePoint = mark.map(Mark::getIndex).orElse(0);
      if (charOffsets == null) {
        return Math.min(codePoint, text.length());
      }
      return charOffsets[Math.min(codePoint, charOffsets.length - 1)];
    }

    private static int[] charOffsets(String text) {
      int points = text.codePointCount(0, text.length());
      if (points == text.length()) {
        return null;
      }
      int[] table = new int[points + 1];
      for (int i = 0, offset = 0; i < points; i++) {
        table[i] = offset;
        offset += Character.charCount(text.codePointAt(offset));
      }
      table[points] = text.length();
      return table;
    }

    private static K3sboxException invalid(String why) {
      return new K3sboxException(
          ExitCode.KUBECONFIG,
          "the kubeconfig does not parse ("
              + why
              + "); k3sbox left it unchanged: fix it, or pass --no-merge");
    }
  }
}
