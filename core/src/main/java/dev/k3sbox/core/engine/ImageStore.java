package dev.k3sbox.core.engine;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What k3sbox asks of the engine's images, and nothing more: find a server image, pull the pinned
 * one, build one from a context k3sbox lays out, load a {@code docker save} tarball. Reached
 * through {@link ContainerEngine#images()}; every failure is an {@link EngineException} with the
 * daemon's own words.
 */
public interface ImageStore {
  /** The image {@code reference} (a tag or an ID), or empty when the engine has none. */
  Optional<ImageSummary> inspect(String reference);

  /** Every image the engine has, as {@code docker images} lists them. */
  List<ImageSummary> list();

  /**
   * Pulls {@code reference} from its registry. False when the pull has not ended within {@code
   * timeout}: offline machines cannot wait on a registry (the pull is left to go on).
   */
  boolean pull(String reference, Duration timeout) throws InterruptedException;

  /**
   * Builds the image of {@code context}, a tar with its Dockerfile at the root, tagged {@code tag};
   * no base image is pulled, no intermediate container kept.
   */
  void build(InputStream context, String tag);

  /**
   * Loads a {@code docker save} tarball; returns the names it loaded (IDs for untagged images),
   * empty when the engine found none. A refusal the daemon reports inside its answer is an {@link
   * EngineException} too.
   */
  List<String> load(InputStream archive);
}
