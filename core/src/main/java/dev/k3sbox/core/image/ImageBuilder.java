package dev.k3sbox.core.image;

import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ImageStore;
import dev.k3sbox.core.state.StateDir;
import java.time.Duration;

/**
 * Makes a server image with no container registry: compiles the server with the machine's Go (the
 * stand-in, {@link StandinBuild}, or k3s from its module sources, {@link K3sCompiler}) or takes a
 * k3s binary the user has ({@link K3sBinaryImage}), and builds it {@code FROM scratch} ({@link
 * ScratchImage}). An image already built from the same sources is reused ({@link SourceDigest}).
 */
public final class ImageBuilder {
  public static final String K3S_MODULE = K3sSourceBuild.MODULE;

  /** A k3s commit on the release-1.33 branch; the Go module proxy must serve it to build. */
  public static final String K3S_PINNED_VERSION = "v1.33.10-0.20260316230806-13a8403081db";

  private final ImageStore images;
  private final StateDir stateDir;
  private final Progress progress;

  public ImageBuilder(ImageStore images, StateDir stateDir, Progress progress) {
    this.images = images;
    this.stateDir = stateDir;
    this.progress = progress;
  }

  /** The result of a build: the tag, and whether an existing image was reused. */
  public record BuiltImage(String tag, boolean reused, Duration took) {}

  public BuiltImage build(ImageBuildSpec spec) {
    long started = System.nanoTime();
    String tag;
    boolean reused;
    K3sBinaryImage k3sImage = new K3sBinaryImage(images, stateDir, progress);
    switch (spec.kind()) {
      case STANDIN -> {
        tag = spec.tag().orElse(ImageCatalog.standinImage(spec.kubernetesVersion()));
        reused = new StandinBuild(images, stateDir, progress).build(tag, spec.kubernetesVersion());
      }
      case FROM_BINARY -> {
        K3sBinary binary = new K3sBinary(spec.binary().orElseThrow());
        tag = spec.tag().orElseGet(() -> K3sBinaryImage.tagOf(binary));
        reused = k3sImage.build(binary, tag, "binary " + binary.path().toAbsolutePath());
      }
      default -> {
        String version = spec.k3sVersion().orElse(K3S_PINNED_VERSION);
        K3sBinary binary = new K3sBinary(new K3sCompiler(stateDir, progress).compile(version));
        tag = spec.tag().orElseGet(() -> K3sBinaryImage.tagOf(binary));
        reused = k3sImage.build(binary, tag, "source " + K3S_MODULE + "@" + version);
      }
    }
    return new BuiltImage(tag, reused, Duration.ofNanos(System.nanoTime() - started));
  }
}
