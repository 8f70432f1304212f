package dev.k3sbox.core.docker;

import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerEngines;
import dev.k3sbox.core.image.ImageBuilder;
import dev.k3sbox.core.image.ImageResolver;
import dev.k3sbox.core.image.KubernetesVersion;
import dev.k3sbox.core.image.ServerImage;
import dev.k3sbox.core.state.StateDir;
import java.util.Optional;

/**
 * The lifecycle's engine in production: the Docker daemon of the environment ({@code DOCKER_HOST}).
 */
public final class DockerEngines implements ContainerEngines {
  private final StateDir stateDir;
  private final Progress progress;
  private final DockerDaemon daemon;

  public DockerEngines(StateDir stateDir, Progress progress) {
    this.stateDir = stateDir;
    this.progress = progress;
    this.daemon = DockerDaemon.fromEnvironment(stateDir, progress);
  }

  @Override
  public Optional<ContainerEngine> running() {
    return daemon.find().map(DockerEngine::new);
  }

  @Override
  public ContainerEngine ensureRunning(boolean mayInstall) {
    return new DockerEngine(daemon.ensure(mayInstall));
  }

  @Override
  public boolean stopIfStartedByK3sbox() {
    return daemon.stopIfStartedByK3sbox();
  }

  @Override
  public ServerImage serverImage(
      ContainerEngine engine,
      Optional<String> requested,
      Optional<KubernetesVersion> version,
      boolean mayBuild) {
    ImageResolver images = new ImageResolver(engine.images(), progress);
    if (mayBuild) {
      images.buildingStandinWith(new ImageBuilder(engine.images(), stateDir, progress));
    }
    return images.resolve(requested, version);
  }
}
