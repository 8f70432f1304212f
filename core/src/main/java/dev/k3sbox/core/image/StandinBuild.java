package dev.k3sbox.core.image;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ImageStore;
import dev.k3sbox.core.state.ProcessLock;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control-plane stand-in's image of one Kubernetes version: its Go sources ({@link
 * StandinSources}) compiled by the machine's Go into one static binary, in a {@code FROM scratch}
 * image ({@link ScratchImage}) labelled as needing no privilege. An image under the tag built from
 * the same sources is reused.
 */
final class StandinBuild {
  private final ImageStore images;
  private final StateDir stateDir;
  private final Progress progress;

  StandinBuild(ImageStore images, StateDir stateDir, Progress progress) {
    this.images = images;
    this.stateDir = stateDir;
    this.progress = progress;
  }

  /** Builds {@code tag}; true when an image of the same sources was there and is reused. */
  boolean build(String tag, KubernetesVersion version) {
    Map<String, byte[]> sources = StandinSources.of(version);
    String digest = SourceDigest.of(sources);
    if (SourceDigest.upToDate(images, tag, digest)) {
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
      if (lock.waited() && SourceDigest.upToDate(images, tag, digest)) {
        progress.info(tag + " was built by the k3sbox run we waited for; reusing it");
        return true;
      }
      buildIn(dir, tag, version, sources, digest);
      return false;
    }
  }

  private void buildIn(
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
          Failure.IMAGE, "cannot write the sources to " + src + ": " + e.getMessage(), e);
    }
    Path binary = dir.resolve("k3s");
    String version = kubernetes + "+k3sbox";
    progress.step(
        "compiling the control-plane stand-in (Kubernetes "
            + kubernetes
            + ") with Go; the first build of a version takes 5-10 minutes on 2 cores");
    // The sources pin the default version's modules in go.sum; another version's go.mod is
    // rewritten (StandinSources.module) and Go resolves and records its modules as it builds.
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
    new ScratchImage(images, stateDir, progress)
        .build(tag, binary, RootFilesystem.STANDIN_LINKS, List.of(), labels);
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
}
