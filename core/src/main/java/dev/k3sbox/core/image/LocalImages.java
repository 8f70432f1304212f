package dev.k3sbox.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.DockerDaemon;
import dev.k3sbox.core.docker.DockerRequests;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code k3sbox image}: the server images of this machine's daemon, built, loaded and listed. The
 * daemon is started (installed where allowed) on first use.
 */
public final class LocalImages {
  private final StateDir stateDir;
  private final Progress progress;
  private DockerClient docker;

  public LocalImages(StateDir stateDir, Progress progress) {
    this.stateDir = stateDir;
    this.progress = progress;
  }

  private DockerClient docker() {
    if (docker == null) {
      docker = DockerDaemon.fromEnvironment(stateDir, progress).ensure(true).client();
    }
    return docker;
  }

  public ImageBuilder.BuiltImage build(ImageBuildSpec spec) {
    return new ImageBuilder(docker(), stateDir, progress).build(spec);
  }

  /** The images k3sbox can run, best first. */
  public List<ImageCatalog.KnownImage> list() {
    return new ImageCatalog(docker()).local();
  }

  /** Loads a {@code docker save} tarball; returns what it loaded (names, or IDs). */
  public List<String> load(Path file) {
    List<String> loaded = new ArrayList<>();
    String refused;
    try (InputStream in = Files.newInputStream(file)) {
      // The raw answer, not docker-java's load command: the daemon reports a file that is not
      // an image archive inside a 200 answer, which that command ignores ("loaded"
      // /etc/hostname).
      List<JsonNode> answer =
          DockerRequests.of(docker()).postStream("/images/load?quiet=1", "application/x-tar", in);
      refused =
          answer.stream()
              .map(m -> m.path("error").asText(""))
              .filter(e -> !e.isEmpty())
              .findFirst()
              .orElse(null);
      answer.stream()
          .map(m -> m.path("stream").asText("").strip())
          .filter(s -> s.startsWith("Loaded image"))
          .map(s -> s.replaceFirst("^Loaded image( ID)?: ", ""))
          .forEach(loaded::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (K3sboxException e) {
      throw e;
    } catch (RuntimeException e) {
      refused = e.getMessage().lines().findFirst().orElse("");
    }
    if (refused != null || loaded.isEmpty()) {
      throw new K3sboxException(
          ExitCode.IMAGE,
          "docker could not load "
              + file
              + (refused == null ? " (it found no image in it)" : ": " + refused)
              + "; is it a `docker save` tarball?");
    }
    return loaded;
  }
}
