package dev.k3sbox.core.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.DockerRequests;
import dev.k3sbox.core.host.HostCommands;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Picks the image {@code up} runs: {@code --image}; else {@code rancher/k3s:<pinned>} if present;
 * else a local {@code k3sbox/k3s} image; else the local stand-in, with a warning that it is not
 * k3s; else a pull of the pinned rancher image (bounded, since offline machines cannot pull); else
 * it says which command makes an image. The pull comes last, not second as the preference order
 * would suggest, so that offline machines with a local image never wait on a registry.
 */
public final class ImageResolver {
  private static final long PULL_TIMEOUT_SECONDS = 120;

  private final DockerClient docker;
  private final Progress progress;

  public ImageResolver(DockerClient docker, Progress progress) {
    this.docker = docker;
    this.progress = progress;
  }

  /**
   * The image {@code up} runs, inspected once (or read from the listing): its privilege label
   * travels with it, so nothing asks the daemon about it again.
   */
  public ServerImage resolve(Optional<String> requested) {
    return resolve(requested, Optional.empty());
  }

  /**
   * As {@link #resolve(Optional)}, for a Kubernetes version when one is asked for: a local image of
   * that minor (the asked patch first), else the stand-in of that version, built as {@code image
   * build --standin --kubernetes-version} builds it. No registry is asked: which rancher/k3s tag
   * carries a minor is not known offline.
   */
  public ServerImage resolve(Optional<String> requested, Optional<KubernetesVersion> version) {
    if (version.isPresent() && requested.isEmpty()) {
      return ofVersion(version.get());
    }
    if (requested.isPresent()) {
      String image = requested.get();
      return ifLocal(docker, image)
          .or(() -> pulled(image))
          .orElseThrow(
              () ->
                  new K3sboxException(
                      ExitCode.IMAGE,
                      "image "
                          + image
                          + " is not on this Docker daemon and cannot be pulled; "
                          + howToMake()));
    }
    List<ImageCatalog.KnownImage> local = new ImageCatalog(docker).local();
    if (!local.isEmpty()) {
      ImageCatalog.KnownImage best = local.get(0);
      if (best.flavor() == ImageCatalog.Flavor.STANDIN) {
        progress.warn(
            "no k3s image here; using the control-plane stand-in "
                + best.reference()
                + " (upstream kube-apiserver, not k3s). `k3sbox image build` makes real k3s where its"
                + " sources can be fetched");
      }
      return best.serverImage();
    }
    return pulled(ImageCatalog.RANCHER_PINNED)
        .or(this::builtStandin)
        .orElseThrow(
            () ->
                new K3sboxException(
                    ExitCode.IMAGE,
                    "no k3s image on this machine and none can be pulled; " + howToMake()));
  }

  private ServerImage ofVersion(KubernetesVersion version) {
    Optional<ImageCatalog.KnownImage> local =
        new ImageCatalog(docker)
            .local().stream()
                .filter(
                    k ->
                        KubernetesVersion.ofServer(k.version())
                            .filter(version::sameMinor)
                            .isPresent())
                .min(
                    Comparator.comparing(
                        k ->
                            !KubernetesVersion.ofServer(k.version())
                                .orElseThrow()
                                .equals(version)));
    if (local.isPresent()) {
      return local.get().serverImage();
    }
    if (builder == null
        || HostCommands.find("go", "/usr/local/go/bin", "/usr/lib/go/bin").isEmpty()) {
      throw new K3sboxException(
          ExitCode.IMAGE,
          "no server image of Kubernetes "
              + version.minorName()
              + " on this machine; make one with `k3sbox image build --standin"
              + " --kubernetes-version "
              + version.minorName()
              + "` (needs Go 1.25+)");
    }
    progress.warn(
        "no server image of Kubernetes "
            + version.minorName()
            + " here: building the control-plane stand-in of "
            + version
            + " with Go, as `k3sbox image build --standin --kubernetes-version "
            + version.minorName()
            + "`");
    String tag = builder.build(ImageBuildSpec.standin(version, Optional.empty())).tag();
    return ifLocal(docker, tag)
        .orElseThrow(
            () -> new K3sboxException(ExitCode.IMAGE, "the image " + tag + " vanished once built"));
  }

  /**
   * With no image and no registry (a fresh offline machine), the one image that can be made from
   * package registries alone: the stand-in, built as {@code k3sbox image build --standin} builds
   * it, when Go is there. Without a builder or Go, empty: the caller says how to make one.
   */
  private Optional<ServerImage> builtStandin() {
    if (builder == null
        || HostCommands.find("go", "/usr/local/go/bin", "/usr/lib/go/bin").isEmpty()) {
      return Optional.empty();
    }
    progress.warn(
        "no k3s image here and none can be pulled: building the control-plane stand-in"
            + " (upstream kube-apiserver, not k3s) with Go, as `k3sbox image build --standin`;"
            + " the first build takes several minutes");
    String tag = builder.build(ImageBuildSpec.standin(Optional.empty())).tag();
    return ifLocal(docker, tag);
  }

  private ImageBuilder builder;

  /** Lets {@link #resolve} build the stand-in when no image can be found or pulled. */
  public ImageResolver buildingStandinWith(ImageBuilder builder) {
    this.builder = builder;
    return this;
  }

  public static String howToMake() {
    return "make one with `k3sbox image build --standin` (offline stand-in; needs Go 1.25+),"
        + " `k3sbox image load FILE`, `k3sbox image build --from-binary PATH`, or `k3sbox image"
        + " build` (k3s from source, where a Go proxy serves it)";
  }

  /**
   * {@code image} as the daemon has it, or empty when it has no such image. Its labels are read off
   * the inspection's JSON tree: binding the whole answer costs a fresh JVM ~50 ms (DockerRequests).
   */
  public static Optional<ServerImage> ifLocal(DockerClient docker, String image) {
    DockerRequests requests = DockerRequests.of(docker);
    try {
      return requests
          .get("/images/" + DockerRequests.segment(image) + "/json")
          .map(inspected -> ServerImage.of(image, DockerRequests.labels(inspected.path("Config"))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<ServerImage> pulled(String image) {
    return pull(image) ? ifLocal(docker, image) : Optional.empty();
  }

  private boolean pull(String image) {
    progress.step("pulling " + image + " (up to " + PULL_TIMEOUT_SECONDS + "s)");
    try {
      boolean done =
          docker
              .pullImageCmd(image)
              .exec(new PullImageResultCallback())
              .awaitCompletion(PULL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return done;
    } catch (RuntimeException e) {
      progress.info("cannot pull " + image + ": " + firstLine(e.getMessage()));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new K3sboxException(ExitCode.INTERRUPTED, "interrupted while pulling " + image);
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
