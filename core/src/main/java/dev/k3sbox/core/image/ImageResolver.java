package dev.k3sbox.core.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
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

  public String resolve(Optional<String> requested) {
    ImageCatalog catalog = new ImageCatalog(docker);
    if (requested.isPresent()) {
      String image = requested.get();
      if (isLocal(image) || pull(image)) {
        return image;
      }
      throw new K3sboxException(
          ExitCode.IMAGE,
          "image " + image + " is not on this Docker daemon and cannot be pulled; " + howToMake());
    }
    List<ImageCatalog.KnownImage> local = catalog.local();
    if (!local.isEmpty()) {
      ImageCatalog.KnownImage best = local.get(0);
      if (best.flavor() == ImageCatalog.Flavor.STANDIN) {
        progress.warn(
            "no k3s image here; using the control-plane stand-in "
                + best.reference()
                + " (upstream kube-apiserver, not k3s). `k3sbox image build` makes real k3s where its"
                + " sources can be fetched");
      }
      return best.reference();
    }
    if (pull(ImageCatalog.RANCHER_PINNED)) {
      return ImageCatalog.RANCHER_PINNED;
    }
    throw new K3sboxException(
        ExitCode.IMAGE, "no k3s image on this machine and none can be pulled; " + howToMake());
  }

  public static String howToMake() {
    return "make one with `k3sbox image build` (k3s from source), `k3sbox image build --from-binary"
        + " PATH`, `k3sbox image load FILE`, or `k3sbox image build --standin` (offline stand-in)";
  }

  private boolean isLocal(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private boolean pull(String image) {
    progress.step("pulling " + image + " (up to " + PULL_TIMEOUT_SECONDS + "s)");
    try {
      boolean done =
          docker
              .pullImageCmd(image)
              .exec(new PullImageResultCallback())
              .awaitCompletion(PULL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return done && isLocal(image);
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
