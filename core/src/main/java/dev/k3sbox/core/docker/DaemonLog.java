package dev.k3sbox.core.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads dockerd's log for the reason it stopped. */
final class DaemonLog {
  private static final Pattern MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private DaemonLog() {}

  /** The message of the last error-level line of the log, or "" when there is none. */
  static String lastError(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log);
    } catch (IOException e) {
      return "";
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i);
      if (line.contains("level=fatal")
          || line.contains("level=error")
          || line.startsWith("failed")) {
        Matcher m = MSG.matcher(line);
        return m.find() ? m.group(1).replace("\\\"", "\"") : line.strip();
      }
    }
    return "";
  }

  /** Whether dockerd died setting up iptables or its bridge, which sandboxes often refuse. */
  static boolean isNetworkSetupFailure(String error) {
    String e = error.toLowerCase(Locale.ROOT);
    return e.contains("iptables")
        || e.contains("bridge")
        || e.contains("network controller")
        || e.contains("nat chain")
        || e.contains("link updates");
  }
}
