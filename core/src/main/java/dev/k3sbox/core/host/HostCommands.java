package dev.k3sbox.core.host;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Programs of the host k3sbox finds and runs: dockerd, go, apt-get, busybox. */
public final class HostCommands {
  private HostCommands() {}

  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Whether packages can be installed here: root on an apt system. */
  public static boolean canInstallPackages() {
    return isRoot() && Files.isExecutable(Path.of("/usr/bin/apt-get"));
  }

  /** {@code name} on {@code PATH}, else in one of {@code extraDirs}. */
  public static Optional<Path> find(String name, String... extraDirs) {
    List<String> dirs =
        new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of(extraDirs));
    return dirs.stream()
        .filter(d -> !d.isBlank())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Runs {@code command} to its end (apt-get never asks questions) and returns its output; a
   * failure is one line, the command's last, as a {@code failure}, with the {@code hint} after it.
   */
  public static String run(List<String> command, Failure failure, String hint) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        throw new K3sboxException(failure, String.join(" ", command) + " failed: " + last + hint);
      }
      return output;
    } catch (IOException e) {
      throw new K3sboxException(failure, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new K3sboxException(
          Failure.INTERRUPTED, "interrupted while running " + String.join(" ", command));
    }
  }
}
