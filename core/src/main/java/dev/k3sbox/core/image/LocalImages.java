package dev.k3sbox.core.image;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.DockerEngines;
import dev.k3sbox.core.engine.EngineException;
import dev.k3sbox.core.engine.ImageStore;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code k3sbox image}: the server images of this machine's engine, built, loaded and listed. The
 * engine is started (installed where allowed) on first use.
 */
public final class LocalImages {
  private final Supplier<ImageStore> connect;
  private final StateDir stateDir;
  private final Progress progress;
  private ImageStore images;

  public LocalImages(StateDir stateDir, Progress progress) {
    this(
        () -> new DockerEngines(stateDir, progress).ensureRunning(true).images(),
        stateDir,
        progress);
  }

  LocalImages(Supplier<ImageStore> connect, StateDir stateDir, Progress progress) {
    this.connect = connect;
    this.stateDir = stateDir;
    this.progress = progress;
  }

  private ImageStore images() {
    if (images == null) {
      images = connect.get();
    }
    return images;
  }

  public ImageBuilder.BuiltImage build(ImageBuildSpec spec) {
    return new ImageBuilder(images(), stateDir, progress).build(spec);
  }

  /** The images k3sbox can run, best first. */
  public List<ImageCatalog.KnownImage> list() {
    return new ImageCatalog(images()).local();
  }

  /** Loads a {@code docker save} tarball; returns what it loaded (names, or IDs). */
  public List<String> load(Path file) {
    List<String> loaded = List.of();
    String refused = null;
    try (InputStream in = Files.newInputStream(file)) {
      loaded = images().load(in);
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.USAGE, "cannot read " + file + ": " + e.getMessage() + "; check the path", e);
    } catch (EngineException e) {
      refused = e.reason();
    }
    if (refused != null || loaded.isEmpty()) {
      throw new K3sboxException(
          Failure.IMAGE,
          "docker could not load "
              + file
              + (refused == null ? " (it found no image in it)" : ": " + refused)
              + "; is it a `docker save` tarball?");
    }
    return loaded;
  }
}
