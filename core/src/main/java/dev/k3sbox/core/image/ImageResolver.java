package dev.k3sbox.core.image;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ImageStore;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the image {@code up} runs: {@code --image}; else {@code rancher/k3s:<pinned>} if present;
 * else a local {@code k3sbox/k3s} image; else the local stand-in, with a warning that it is not
 * k3s; else a pull of the pinned rancher image (bounded, since offline machines cannot pull); else
 * it says which command makes an image. The pull comes last, not second as the preference order
 * would suggest, so that offline machines with a local image never wait on a registry.
 */
public final class ImageResolver {
  private static final Duration PULL_TIMEOUT = Duration.ofSeconds(120);

  private final ImageStore images;
  private final Progress progress;

  /** Null where {@code up} may not build ({@code --no-build}). */
  private StandinBuilds standins;

  public ImageResolver(ImageStore images, Progress progress) {
    this.images = images;
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
      return ifLocal(images, image)
          .or(() -> pulled(image))
          .orElseThrow(
              () ->
                  new K3sboxException(
                      Failure.IMAGE,
                      "image "
                          + image
                          + " is not on this Docker daemon and cannot be pulled; "
                          + howToMake()));
    }
    List<ImageCatalog.KnownImage> local = new ImageCatalog(images).local();
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
                    Failure.IMAGE,
                    "no k3s image on this machine and none can be pulled; " + howToMake()));
  }

  private ServerImage ofVersion(KubernetesVersion version) {
    Optional<ImageCatalog.KnownImage> local =
        new ImageCatalog(images)
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
    if (standins == null || !standins.possible()) {
      throw new K3sboxException(
          Failure.IMAGE,
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
    String tag = standins.build(version);
    return ifLocal(images, tag)
        .orElseThrow(
            () -> new K3sboxException(Failure.IMAGE, "the image " + tag + " vanished once built"));
  }

  /**
   * With no image and no registry (a fresh offline machine), the one image that can be made from
   * package registries alone: the stand-in, built as {@code k3sbox image build --standin} builds
   * it, when Go is there. Without a builder or Go, empty: the caller says how to make one.
   */
  private Optional<ServerImage> builtStandin() {
    if (standins == null || !standins.possible()) {
      return Optional.empty();
    }
    progress.warn(
        "no k3s image here and none can be pulled: building the control-plane stand-in"
            + " (upstream kube-apiserver, not k3s) with Go, as `k3sbox image build --standin`;"
            + " the first build takes several minutes");
    String tag = standins.build(KubernetesVersion.DEFAULT);
    return ifLocal(images, tag);
  }

  /** Lets {@link #resolve} build the stand-in when no image can be found or pulled. */
  public ImageResolver buildingStandinWith(ImageBuilder builder) {
    return buildingStandinWith(StandinBuilds.with(builder));
  }

  ImageResolver buildingStandinWith(StandinBuilds standins) {
    this.standins = standins;
    return this;
  }

  public static String howToMake() {
    return "make one with `k3sbox image build --standin` (offline stand-in; needs Go 1.25+),"
        + " `k3sbox image load FILE`, `k3sbox image build --from-binary PATH`, or `k3sbox image"
        + " build` (k3s from source, where a Go proxy serves it)";
  }

  /**
   * {@code image} as the engine has it, or empty when it has none (or cannot say): its labels
   * travel with it as the {@link ServerImage}.
   */
  public static Optional<ServerImage> ifLocal(ImageStore images, String image) {
    try {
      return images.inspect(image).map(inspected -> ServerImage.of(image, inspected.labels()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<ServerImage> pulled(String image) {
    return pull(image) ? ifLocal(images, image) : Optional.empty();
  }

  private boolean pull(String image) {
    progress.step("pulling " + image + " (up to " + PULL_TIMEOUT.toSeconds() + "s)");
    try {
      return images.pull(image, PULL_TIMEOUT);
    } catch (RuntimeException e) {
      progress.info("cannot pull " + image + ": " + firstLine(e.getMessage()));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new K3sboxException(Failure.INTERRUPTED, "interrupted while pulling " + image);
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
