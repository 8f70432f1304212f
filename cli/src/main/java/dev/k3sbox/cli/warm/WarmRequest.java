package dev.k3sbox.cli.warm;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A command a launcher hands to the warm JVM: its arguments, and whether it runs on a terminal. */
record WarmRequest(List<String> args, boolean terminal) {

  /** The commands a warm JVM serves: the chart developer's loop. */
  private static final Set<String> SERVED = Set.of("validate", "template");

  /**
   * No argument is longer, nor are there more (a bound on what a stray client can make us hold).
   */
  private static final int MAX_BYTES = 1 << 20;

  /** Reads the request frames ('t', 'a'..., 'r'); see warm-client/main.go. */
  static WarmRequest read(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    List<String> args = new ArrayList<>();
    boolean terminal = false;
    int total = 0;
    while (true) {
      int type = in.readUnsignedByte();
      int length = in.readInt();
      total += length;
      if (length < 0 || total > MAX_BYTES) {
        throw new IOException("request too long");
      }
      String payload = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      switch (type) {
        case 't' -> terminal = Boolean.parseBoolean(payload);
        case 'a' -> args.add(payload);
        case 'r' -> {
          return new WarmRequest(List.copyOf(args), terminal);
        }
        default -> throw new IOException("unknown request frame " + type);
      }
    }
  }

  /**
   * Why this command runs in a JVM of its own, or empty when the warm JVM serves it. It serves
   * {@code validate} and {@code template}, except what reads stdin (values from {@code -f -}: the
   * launcher's stdin is not ours) and the upgrade check (it names throwaway servers after its
   * process, and starts work that outlives the command).
   */
  Optional<String> coldReason() {
    if (args.isEmpty() || !SERVED.contains(args.get(0))) {
      return Optional.of("not a validate or template command");
    }
    for (String a : args) {
      // "-", "--values=-", and short options run together with the value: "-f-", "-vf-"
      boolean shortOptions = a.startsWith("-") && !a.startsWith("--");
      if (a.equals("-") || a.endsWith("=-") || (shortOptions && a.endsWith("-"))) {
        return Optional.of("reads stdin");
      }
      if (a.startsWith("@")) {
        return Optional.of("an argument file"); // picocli's: what it holds is not seen here
      }
      if (a.startsWith("--upgrade-from")) {
        return Optional.of("an upgrade check");
      }
    }
    return Optional.empty();
  }

  boolean verbose() {
    return args.contains("-v") || args.contains("--verbose");
  }
}
