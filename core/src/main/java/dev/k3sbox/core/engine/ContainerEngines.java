package dev.k3sbox.core.engine;

import dev.k3sbox.core.image.KubernetesVersion;
import dev.k3sbox.core.image.ServerImage;
import java.util.Optional;

/**
 * Where the lifecycle gets its engine: finds the running one or starts it, and resolves the server
 * image on it (building the stand-in where allowed). Docker's in production ({@code
 * docker.DockerEngines}), a fake in unit tests.
 */
public interface ContainerEngines {
  /** The engine if one answers now; never starts anything. */
  Optional<ContainerEngine> running();

  /** The running engine, or one started now (installed first when {@code mayInstall}). */
  ContainerEngine ensureRunning(boolean mayInstall);

  /** Stops the engine if k3sbox started it; false if it did not. */
  boolean stopIfStartedByK3sbox();

  /**
   * The server image to run: {@code requested}, else a local image of {@code version} or the
   * default, built when missing and {@code mayBuild}.
   */
  ServerImage serverImage(
      ContainerEngine engine,
      Optional<String> requested,
      Optional<KubernetesVersion> version,
      boolean mayBuild);
}
