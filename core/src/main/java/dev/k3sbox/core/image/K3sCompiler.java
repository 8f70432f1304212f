package dev.k3sbox.core.image;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.host.HostCommands;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * k3s compiled from its Go module sources with the machine's Go, as k3s's own {@code scripts/build}
 * does ({@link K3sSourceBuild}): the module fetched through the Go module proxy, its manifests
 * embedded, {@code cmd/server} linked statically. Each version builds in a folder of its own.
 */
final class K3sCompiler {
  private static final String MODULE = K3sSourceBuild.MODULE;

  private final StateDir stateDir;
  private final Progress progress;

  K3sCompiler(StateDir stateDir, Progress progress) {
    this.stateDir = stateDir;
    this.progress = progress;
  }

  /**
   * Follows k3s's scripts/build: embed the manifests, give go:embed its folder, build cmd/server.
   * Returns the binary.
   */
  Path compile(String version) {
    GoToolchain go = GoToolchain.find(progress);
    Path dir = stateDir.ensure(stateDir.build().resolve("k3s-" + version));
    progress.step("fetching " + MODULE + "@" + version + " through the Go module proxy");
    String info =
        go.run(
            dir,
            Map.of("GOFLAGS", "-mod=mod"),
            "go mod download",
            List.of("mod", "download", "-json", MODULE + "@" + version),
            false);
    String moduleDir = jsonField(info, "Dir");
    if (moduleDir == null) {
      throw new K3sboxException(
          Failure.IMAGE,
          "the Go module proxy does not serve "
              + MODULE
              + "@"
              + version
              + " ("
              + Optional.ofNullable(jsonField(info, "Error")).orElse("no Dir in its answer")
              + "); use `k3sbox image build --from-binary PATH` with a k3s binary, or `--standin`");
    }
    Path src = dir.resolve("src");
    copyWritable(Path.of(moduleDir), src);
    copyWritable(src.resolve("manifests"), src.resolve("pkg/deploy/embed"));
    try {
      Files.createDirectories(src.resolve("pkg/static/embed"));
      Files.writeString(
          src.resolve("pkg/static/embed/.placeholder"), "charts are not bundled by k3sbox\n");
    } catch (IOException e) {
      throw new K3sboxException(Failure.IMAGE, "cannot prepare " + src + ": " + e.getMessage(), e);
    }
    K3sSourceBuild build;
    try {
      build =
          K3sSourceBuild.of(
              version,
              Files.readString(src.resolve("go.mod")),
              go.run(src, Map.of(), "go env", List.of("env", "GOVERSION")).strip());
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.IMAGE, "cannot read " + src + "/go.mod: " + e.getMessage(), e);
    }
    ensureStaticLibraries();
    Path binary = dir.resolve("k3s");
    progress.step(
        "compiling k3s "
            + build.version()
            + " (static, CGO; the first build takes 20-40 minutes on 2 cores)");
    go.run(src, build.environment(), "go build k3s", build.goArguments(binary.toString()));
    return binary;
  }

  /**
   * The static C libraries k3s links ({@link K3sSourceBuild#STATIC_LIBRARIES}), installed with apt
   * where k3sbox may; otherwise one line naming the packages.
   */
  private void ensureStaticLibraries() {
    List<String> missing =
        K3sSourceBuild.STATIC_LIBRARIES.entrySet().stream()
            .filter(
                e ->
                    List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib")
                        .stream()
                        .noneMatch(d -> Files.exists(Path.of(d, e.getKey()))))
            .map(Map.Entry::getValue)
            .sorted()
            .toList();
    if (missing.isEmpty()) {
      return;
    }
    if (!HostCommands.canInstallPackages()) {
      throw new K3sboxException(
          Failure.IMAGE,
          "k3s links statically and needs the C libraries of "
              + String.join(", ", missing)
              + "; run `sudo apt-get install -y "
              + String.join(" ", missing)
              + "`, then build again");
    }
    progress.step("installing " + String.join(", ", missing) + " with apt-get (static libraries)");
    List<String> command = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
    command.addAll(missing);
    HostCommands.run(command, Failure.IMAGE, "");
  }

  /** A string field of {@code go mod download -json}'s answer, without a JSON parser. */
  private static String jsonField(String json, String field) {
    var m = Pattern.compile("\"" + field + "\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    return m.find() ? m.group(1).replace("\\n", " ").replace("\\t", " ") : null;
  }

  /** Copies a tree, each file made writable: Go's module cache keeps its files read-only. */
  private static void copyWritable(Path from, Path to) {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
          target.toFile().setWritable(true, true);
        }
      }
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.IMAGE, "cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }
}
