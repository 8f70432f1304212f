package dev.k3sbox.core.image;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.engine.ImageStore;
import dev.k3sbox.core.engine.ImageSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The server images k3sbox knows how to run, and which of them are on this daemon. */
public final class ImageCatalog {
  /** The upstream image k3sbox prefers when it is present or can be pulled. */
  public static final String RANCHER_REPOSITORY = "rancher/k3s";

  public static final String RANCHER_PINNED = RANCHER_REPOSITORY + ":v1.33.5-k3s1";

  /** Real k3s built here, from source or from a user's binary. */
  public static final String K3S_REPOSITORY = "k3sbox/k3s";

  /** The stand-in: upstream control-plane components, not k3s; used only when nothing else is. */
  public static final String STANDIN_REPOSITORY = "k3sbox/controlplane-standin";

  /** {@link KubernetesVersion#DEFAULT}, as a constant for help texts. */
  public static final String STANDIN_KUBERNETES_VERSION = "v1.35.4";

  public static final String STANDIN_IMAGE = STANDIN_REPOSITORY + ":" + STANDIN_KUBERNETES_VERSION;

  /** The stand-in's tag for a Kubernetes version: {@code k3sbox/controlplane-standin:v1.37.2}. */
  public static String standinImage(KubernetesVersion version) {
    return STANDIN_REPOSITORY + ":" + version;
  }

  private final ImageStore images;

  public ImageCatalog(ImageStore images) {
    this.images = images;
  }

  /** Every local image k3sbox can run, best first. */
  public List<KnownImage> local() {
    return runnable(images.list());
  }

  /**
   * The images of {@code listed} (an engine's listing) that k3sbox can run, in the order {@code up}
   * prefers them: the pinned rancher image, then by {@link Flavor}, the default stand-in before
   * other versions of it, newest first.
   */
  public static List<KnownImage> runnable(List<ImageSummary> listed) {
    List<KnownImage> found = new ArrayList<>();
    for (ImageSummary image : listed) {
      Map<String, String> labels = image.labels();
      for (String tag : image.tags()) {
        flavorOf(tag, labels)
            .ifPresent(
                flavor ->
                    found.add(
                        new KnownImage(
                            tag,
                            flavor,
                            labels.getOrDefault(
                                Labels.IMAGE_VERSION, tag.substring(tag.lastIndexOf(':') + 1)),
                            labels.getOrDefault(
                                Labels.IMAGE_SOURCE,
                                flavor == Flavor.RANCHER ? "registry" : "unknown"),
                            image.sizeBytes(),
                            image.created(),
                            ServerImage.of(tag, labels))));
      }
    }
    found.sort(
        Comparator.comparing((KnownImage k) -> !k.reference().equals(RANCHER_PINNED))
            .thenComparing(KnownImage::flavor)
            // Among stand-ins of several versions (a matrix built them), the default one: a
            // plain `up` runs the same version whatever was built last.
            .thenComparing(k -> !k.reference().equals(STANDIN_IMAGE))
            .thenComparing(Comparator.comparingLong(KnownImage::created).reversed()));
    return found;
  }

  static Optional<Flavor> flavorOf(String tag, Map<String, String> labels) {
    String repo = tag.substring(0, tag.lastIndexOf(':'));
    if (repo.equals(RANCHER_REPOSITORY) || repo.equals("docker.io/" + RANCHER_REPOSITORY)) {
      return Optional.of(Flavor.RANCHER);
    }
    if (repo.equals(K3S_REPOSITORY)) {
      return Optional.of(Flavor.K3S_LOCAL);
    }
    if (repo.equals(STANDIN_REPOSITORY) || "standin".equals(labels.get(Labels.IMAGE_FLAVOR))) {
      return Optional.of(Flavor.STANDIN);
    }
    return Optional.empty();
  }

  /** Where an image came from, in the order {@code up} prefers them. */
  public enum Flavor {
    RANCHER,
    K3S_LOCAL,
    STANDIN
  }

  /** An image on this daemon that k3sbox can run. */
  public record KnownImage(
      String reference,
      Flavor flavor,
      String version,
      String source,
      long sizeBytes,
      long created,
      ServerImage serverImage) {}
}
