package dev.k3sbox.core.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.host.HostCommands;
import dev.k3sbox.core.state.ProcessLock;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Makes a server image with no container registry: compiles the server with the machine's Go (the
 * stand-in, or k3s from its module sources) or takes a k3s binary the user has, lays out a root
 * filesystem with Debian's busybox-static for {@code docker exec} debugging, and builds it {@code
 * FROM scratch}. An image already built from the same sources is reused.
 */
public final class ImageBuilder {
  /** A k3s commit on the release-1.33 branch; the Go module proxy must serve it to build. */
  public static final String K3S_MODULE = "github.com/k3s-io/k3s";

  public static final String K3S_PINNED_VERSION = "v1.33.10-0.20260316230806-13a8403081db";
  private static final String SOURCES = "/dev/k3sbox/core/image/sources/controlplane/";
  private static final Path BUSYBOX = Path.of("/bin/busybox");

  private final DockerClient docker;
  private final StateDir stateDir;
  private final Progress progress;

  public ImageBuilder(DockerClient docker, StateDir stateDir, Progress progress) {
    this.docker = docker;
    this.stateDir = stateDir;
    this.progress = progress;
  }

  /** The result of a build: the tag, and whether an existing image was reused. */
  public record BuiltImage(String tag, boolean reused, Duration took) {}

  public BuiltImage build(ImageBuildSpec spec) {
    long started = System.nanoTime();
    String tag;
    boolean reused;
    switch (spec.kind()) {
      case STANDIN -> {
        tag = spec.tag().orElse(ImageCatalog.standinImage(spec.kubernetesVersion()));
        reused = buildStandin(tag, spec.kubernetesVersion());
      }
      case FROM_BINARY -> {
        K3sBinary binary = new K3sBinary(spec.binary().orElseThrow());
        tag = spec.tag().orElseGet(() -> k3sTag(binary));
        reused = wrapK3sBinary(binary, tag, "binary " + binary.path().toAbsolutePath());
      }
      default -> {
        String version = spec.k3sVersion().orElse(K3S_PINNED_VERSION);
        K3sBinary binary = new K3sBinary(compileK3s(version));
        tag = spec.tag().orElseGet(() -> k3sTag(binary));
        reused = wrapK3sBinary(binary, tag, "source " + K3S_MODULE + "@" + version);
      }
    }
    return new BuiltImage(tag, reused, Duration.ofNanos(System.nanoTime() - started));
  }

  private boolean buildStandin(String tag, KubernetesVersion version) {
    Map<String, byte[]> sources = standinSources(version);
    String digest = sha256(sources);
    if (existingDigest(tag).filter(digest::equals).isPresent()) {
      progress.info(tag + " is up to date (same sources); reusing it");
      return true;
    }
    // A folder a version: Go's build cache keys on the folder's go.mod, and two versions built
    // at once (a matrix on a fresh machine) must not write each other's sources.
    String folder =
        version.equals(KubernetesVersion.DEFAULT) ? "controlplane" : "controlplane-" + version;
    Path dir = stateDir.ensure(stateDir.build().resolve(folder));
    // Two `up`s on a fresh machine would both build, in the same folder: the second waits for
    // the first and then reuses its image.
    try (ProcessLock lock =
        ProcessLock.acquire(dir.resolve(".lock"), progress, "building this image")) {
      if (lock.waited() && existingDigest(tag).filter(digest::equals).isPresent()) {
        progress.info(tag + " was built by the k3sbox run we waited for; reusing it");
        return true;
      }
      buildStandinIn(dir, tag, version, sources, digest);
      return false;
    }
  }

  private void buildStandinIn(
      Path dir,
      String tag,
      KubernetesVersion kubernetes,
      Map<String, byte[]> sources,
      String digest) {
    Path src = dir.resolve("src");
    try {
      Files.createDirectories(src);
      // A go.sum of an earlier build of another version would not match this go.mod.
      Files.deleteIfExists(src.resolve("go.sum"));
      for (var e : sources.entrySet()) {
        Files.write(src.resolve(e.getKey()), e.getValue());
      }
    } catch (IOException e) {
      throw new K3sboxException(
          ExitCode.IMAGE, "cannot write the sources to " + src + ": " + e.getMessage(), e);
    }
    Path binary = dir.resolve("k3s");
    String version = kubernetes + "+k3sbox";
    progress.step(
        "compiling the control-plane stand-in (Kubernetes "
            + kubernetes
            + ") with Go; the first build of a version takes 5-10 minutes on 2 cores");
    // The sources pin the default version's modules in go.sum; another version's go.mod is
    // rewritten (StandinModule) and Go resolves and records its modules as it builds.
    Map<String, String> env =
        sources.containsKey("go.sum")
            ? Map.of("CGO_ENABLED", "0")
            : Map.of("CGO_ENABLED", "0", "GOFLAGS", "-mod=mod");
    GoToolchain.find(progress)
        .run(
            src,
            env,
            "go build",
            List.of(
                "build",
                "-v",
                "-trimpath",
                "-tags",
                "providerless",
                "-ldflags",
                versionFlags(version, kubernetes),
                "-o",
                binary.toString(),
                "."));
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.IMAGE_FLAVOR, "standin");
    labels.put(Labels.IMAGE_VERSION, version);
    labels.put(
        Labels.IMAGE_SOURCE,
        "k3sbox stand-in: k8s.io/kubernetes " + kubernetes + " + etcd (not k3s)");
    labels.put(Labels.IMAGE_PRIVILEGE, "none");
    labels.put(Labels.IMAGE_DIGEST, digest);
    dockerBuild(tag, binary, RootFilesystem.STANDIN_LINKS, List.of(), labels);
  }

  private static String k3sTag(K3sBinary binary) {
    return ImageCatalog.K3S_REPOSITORY + ":" + dockerTag(binary.version());
  }

  private boolean wrapK3sBinary(K3sBinary k3s, String tag, String source) {
    Path binary = k3s.path();
    if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
      throw new K3sboxException(
          ExitCode.USAGE,
          "--from-binary " + binary + " is not an executable file; give the path of a k3s binary");
    }
    String digest;
    try (InputStream in = Files.newInputStream(binary)) {
      digest = sha256(Map.of("k3s", in.readAllBytes()));
    } catch (IOException e) {
      throw new K3sboxException(ExitCode.USAGE, "cannot read " + binary + ": " + e.getMessage(), e);
    }
    if (existingDigest(tag).filter(digest::equals).isPresent()) {
      progress.info(tag + " already holds this binary; reusing it");
      return true;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.IMAGE_FLAVOR, "k3s");
    labels.put(Labels.IMAGE_VERSION, k3s.version());
    labels.put(Labels.IMAGE_SOURCE, source);
    labels.put(Labels.IMAGE_DIGEST, digest);
    dockerBuild(tag, binary, RootFilesystem.K3S_LINKS, RootFilesystem.K3S_HOST_FILES, labels);
    return false;
  }

  /**
   * Follows k3s's scripts/build: embed the manifests, give go:embed its folder, build cmd/server.
   */
  private Path compileK3s(String version) {
    GoToolchain go = GoToolchain.find(progress);
    Path dir = stateDir.ensure(stateDir.build().resolve("k3s-" + version));
    progress.step("fetching " + K3S_MODULE + "@" + version + " through the Go module proxy");
    String info =
        go.run(
            dir,
            Map.of("GOFLAGS", "-mod=mod"),
            "go mod download",
            List.of("mod", "download", "-json", K3S_MODULE + "@" + version),
            false);
    String moduleDir = jsonField(info, "Dir");
    if (moduleDir == null) {
      throw new K3sboxException(
          ExitCode.IMAGE,
          "the Go module proxy does not serve "
              + K3S_MODULE
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
      throw new K3sboxException(ExitCode.IMAGE, "cannot prepare " + src + ": " + e.getMessage(), e);
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
          ExitCode.IMAGE, "cannot read " + src + "/go.mod: " + e.getMessage(), e);
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
          ExitCode.IMAGE,
          "k3s links statically and needs the C libraries of "
              + String.join(", ", missing)
              + "; run `sudo apt-get install -y "
              + String.join(" ", missing)
              + "`, then build again");
    }
    progress.step("installing " + String.join(", ", missing) + " with apt-get (static libraries)");
    List<String> command = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
    command.addAll(missing);
    HostCommands.run(command, ExitCode.IMAGE, "");
  }

  private void dockerBuild(
      String tag,
      Path server,
      List<String> links,
      List<Path> hostFiles,
      Map<String, String> labels) {
    Path busybox;
    // One busybox install at a time: two versions of a matrix building at once would both run
    // apt-get, and the second would fail on dpkg's lock.
    synchronized (ImageBuilder.class) {
      busybox = BusyboxStatic.locate(BUSYBOX, progress);
    }
    List<String> applets = BusyboxStatic.applets(busybox);
    // A build context of the tag's own: two images built at once (a matrix on a fresh machine)
    // must not write each other's root filesystem.
    Path dir =
        stateDir.ensure(
            stateDir.build().resolve("context-" + tag.replaceAll("[^A-Za-z0-9._-]", "_")));
    Path rootfs = dir.resolve("rootfs.tar");
    progress.step("building image " + tag);
    try {
      try (OutputStream out = Files.newOutputStream(rootfs)) {
        RootFilesystem.write(out, server, links, busybox, applets, hostFiles);
      }
      StringBuilder dockerfile = new StringBuilder("FROM scratch\nADD rootfs.tar /\n");
      labels.forEach(
          (k, v) ->
              dockerfile.append("LABEL ").append(k).append('=').append(quote(v)).append('\n'));
      dockerfile.append(
          "ENV PATH=/bin\nVOLUME /var/lib/rancher/k3s\nENTRYPOINT [\"/bin/k3s\"]\nCMD [\"server\"]\n");
      Path context = dir.resolve("context.tar");
      try (TarArchiveOutputStream tar =
          new TarArchiveOutputStream(Files.newOutputStream(context))) {
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        byte[] df = dockerfile.toString().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry("Dockerfile");
        e.setSize(df.length);
        tar.putArchiveEntry(e);
        tar.write(df);
        tar.closeArchiveEntry();
        TarArchiveEntry r = new TarArchiveEntry("rootfs.tar");
        r.setSize(Files.size(rootfs));
        tar.putArchiveEntry(r);
        Files.copy(rootfs, tar);
        tar.closeArchiveEntry();
      }
      try (InputStream in = Files.newInputStream(context)) {
        docker
            .buildImageCmd(in)
            .withTags(Set.of(tag))
            .withPull(false)
            .withRemove(true)
            .exec(new BuildImageResultCallback())
            .awaitImageId();
      }
      Files.deleteIfExists(context);
      Files.deleteIfExists(rootfs);
    } catch (IOException e) {
      throw new K3sboxException(
          ExitCode.IMAGE, "cannot build image " + tag + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new K3sboxException(
          ExitCode.IMAGE, "docker could not build image " + tag + ": " + e.getMessage(), e);
    }
  }

  private Optional<String> existingDigest(String tag) {
    try {
      Map<String, String> labels = docker.inspectImageCmd(tag).exec().getConfig().getLabels();
      return Optional.ofNullable(labels == null ? null : labels.get(Labels.IMAGE_DIGEST));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * The stand-in's Go sources for {@code version}: as shipped for the default version; for another,
   * with go.mod moved to that version's modules and without go.sum (see {@link #standinModule}).
   */
  static Map<String, byte[]> standinSources(KubernetesVersion version) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name :
        resource("FILES").lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
      if (name.equals("go.sum") && !version.equals(KubernetesVersion.DEFAULT)) {
        continue;
      }
      String text = resource(name);
      if (name.equals("go.mod")) {
        text = standinModule(text, version);
      }
      files.put(name, text.getBytes(StandardCharsets.UTF_8));
    }
    return files;
  }

  /**
   * go.mod for another Kubernetes version: {@code k8s.io/kubernetes} and the staging modules it
   * replaces ({@code k8s.io/api => k8s.io/api v0.35.4}, ...) move together, as upstream releases
   * them; Go's minimal version selection raises the other modules to what that version needs.
   */
  static String standinModule(String goMod, KubernetesVersion version) {
    KubernetesVersion from = KubernetesVersion.DEFAULT;
    return goMod
        .replace("k8s.io/kubernetes " + from, "k8s.io/kubernetes " + version)
        .replaceAll(
            " " + java.util.regex.Pattern.quote(from.stagingVersion()) + "(?=\\s)",
            " " + version.stagingVersion());
  }

  private static String resource(String name) {
    try (InputStream in = ImageBuilder.class.getResourceAsStream(SOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("k3sbox is built without " + SOURCES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The version ldflags upstream's build sets: /version and the apiserver's emulation depend on
   * them.
   */
  static String versionFlags(String version, KubernetesVersion kubernetes) {
    String minor = Integer.toString(kubernetes.minor());
    StringBuilder b = new StringBuilder("-s -w");
    for (String pkg : List.of("k8s.io/component-base/version", "k8s.io/client-go/pkg/version")) {
      b.append(" -X ").append(pkg).append(".gitVersion=").append(version);
      b.append(" -X ").append(pkg).append(".gitMajor=1");
      b.append(" -X ").append(pkg).append(".gitMinor=").append(minor);
      b.append(" -X ").append(pkg).append(".gitTreeState=clean");
    }
    return b.toString();
  }

  /** Docker tags allow no '+': v1.33.5+k3s1 becomes v1.33.5-k3s1, as rancher/k3s tags it. */
  static String dockerTag(String version) {
    return version.replace('+', '-');
  }

  private static String quote(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String sha256(Map<String, byte[]> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (var e : files.entrySet()) {
        md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        md.update(e.getValue());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String jsonField(String json, String field) {
    var m =
        java.util.regex.Pattern.compile("\"" + field + "\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
            .matcher(json);
    return m.find() ? m.group(1).replace("\\n", " ").replace("\\t", " ") : null;
  }

  private static void copyWritable(Path from, Path to) {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          target.toFile().setWritable(true, true);
        }
      }
    } catch (IOException e) {
      throw new K3sboxException(
          ExitCode.IMAGE, "cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }
}
