package dev.k3sbox.core.image;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.host.HostCommands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine's Go toolchain, run as a child process. Go's module and build caches live in the
 * user's usual places, so a second build of the same sources takes seconds.
 */
final class GoToolchain {
  private static final long PROGRESS_EVERY_NANOS = 15_000_000_000L;

  private final Path go;
  private final Progress progress;

  private GoToolchain(Path go, Progress progress) {
    this.go = go;
    this.progress = progress;
  }

  /** Whether Go is installed, on PATH or where Go's installers put it. */
  static boolean installed() {
    return locate().isPresent();
  }

  private static Optional<Path> locate() {
    return HostCommands.find("go", "/usr/local/go/bin", "/usr/lib/go/bin");
  }

  static GoToolchain find(Progress progress) {
    Optional<Path> go = locate();
    if (go.isPresent()) {
      return new GoToolchain(go.get(), progress);
    }
    throw new K3sboxException(
        Failure.IMAGE,
        "Go is not installed, and building the image compiles Go: install Go 1.25 or newer"
            + " (https://go.dev/doc/install) and put it on PATH, or use `k3sbox image build --from-binary PATH`");
  }

  /** Runs {@code go args} in {@code dir}; returns stdout; fails with go's last error line. */
  String run(Path dir, Map<String, String> env, String what, List<String> args) {
    return run(dir, env, what, args, true);
  }

  /**
   * As {@link #run(Path, Map, String, List)}, but a failing exit only fails when {@code strict}:
   * {@code go mod download -json} reports its errors as JSON on stdout.
   */
  String run(Path dir, Map<String, String> env, String what, List<String> args, boolean strict) {
    List<String> command = new ArrayList<>();
    command.add(go.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    List<String> errors = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    try {
      Process p = pb.start();
      Thread stdout =
          new Thread(
              () -> {
                try {
                  out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  // the exit code tells whether it mattered
                }
              });
      stdout.start();
      long started = System.nanoTime();
      long lastReport = started;
      int lines = 0;
      try (BufferedReader err =
          new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = err.readLine()) != null; ) {
          lines++;
          errors.add(line);
          if (errors.size() > 200) {
            errors.remove(0);
          }
          long now = System.nanoTime();
          if (now - lastReport > PROGRESS_EVERY_NANOS) {
            progress.step(
                what
                    + ": "
                    + lines
                    + " packages so far ("
                    + (now - started) / 1_000_000_000L
                    + "s; a first build takes many minutes)");
            lastReport = now;
          }
        }
      }
      int code = p.waitFor();
      stdout.join();
      if (code != 0 && strict) {
        String last =
            errors.stream()
                .filter(
                    l -> l.contains("error") || l.contains(":") && !l.startsWith("go: downloading"))
                .reduce((a, b) -> b)
                .orElse(errors.isEmpty() ? "exit code " + code : errors.get(errors.size() - 1));
        throw new K3sboxException(
            Failure.IMAGE, what + " failed: " + last.strip() + proxyHint(errors));
      }
      return out.toString();
    } catch (IOException e) {
      throw new K3sboxException(Failure.IMAGE, "cannot run " + go + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new K3sboxException(Failure.INTERRUPTED, "interrupted during " + what);
    }
  }

  private static String proxyHint(List<String> errors) {
    boolean proxy =
        errors.stream()
            .anyMatch(l -> l.contains("proxy") || l.contains("dial tcp") || l.contains("403"));
    return proxy
        ? " (the Go module proxy refused or could not be reached: check GOPROXY and the network)"
        : "";
  }
}
