package dev.k3sbox.core.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An engine's images in memory, for unit tests of the choices made from them: images by tag, pulls
 * that succeed only for the references the test allows (refused as Docker words it otherwise), and
 * every request recorded in order.
 */
public final class FakeImages implements ImageStore {
  public final Map<String, ImageSummary> byTag = new LinkedHashMap<>();
  public final List<String> requests = new ArrayList<>();

  /** What a pull of a reference brings, when the registry serves it. */
  public final Map<String, Map<String, String>> registry = new LinkedHashMap<>();

  /** Whether pulls outlast their timeout, as on a machine whose registry never answers. */
  public boolean registryHangs;

  /** The engine's answer to a load, from the archive's bytes. */
  public Function<byte[], List<String>> loads = bytes -> List.of();

  private long nextCreated = 1;

  /** Adds an image as if built or pulled earlier, newer than those added before it. */
  public ImageSummary add(String tag, Map<String, String> labels) {
    ImageSummary image =
        new ImageSummary(
            "sha256:" + byTag.size(), List.of(tag), Map.copyOf(labels), 1L, nextCreated++);
    byTag.put(tag, image);
    return image;
  }

  @Override
  public Optional<ImageSummary> inspect(String reference) {
    requests.add("inspect " + reference);
    return Optional.ofNullable(byTag.get(reference));
  }

  @Override
  public List<ImageSummary> list() {
    requests.add("list");
    return List.copyOf(byTag.values());
  }

  @Override
  public boolean pull(String reference, Duration timeout) {
    requests.add("pull " + reference);
    if (registryHangs) {
      return false;
    }
    Map<String, String> labels = registry.get(reference);
    if (labels == null) {
      throw new EngineException(
          404,
          "pull access denied for "
              + reference
              + ", repository does not exist or may require 'docker login'",
          null);
    }
    add(reference, labels);
    return true;
  }

  @Override
  public void build(InputStream context, String tag) {
    requests.add("build " + tag);
    add(tag, Map.of());
  }

  @Override
  public List<String> load(InputStream archive) {
    requests.add("load");
    try {
      return loads.apply(archive.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
