package dev.k3sbox.core.cluster;

import dev.k3sbox.core.api.ApiServer;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The server has written its kubeconfig, and it is copied out with its URL rewritten to the one
 * this host reaches. Asked of the engine only when {@link BootProbe} says the server is far enough
 * (it costs the daemon nothing), or every {@link #COPY_EVERY} while its stage is unclear.
 */
final class KubeconfigCopy implements ReadinessStep {
  private static final Duration COPY_EVERY = Duration.ofMillis(500);

  private final ContainerEngine engine;
  private final String containerId;
  private final String serverUrl;
  private final BootProbe boot;
  private long lastCopy = System.nanoTime();
  private Kubeconfig kubeconfig;
  private ApiServer api;

  KubeconfigCopy(ContainerEngine engine, String containerId, String serverUrl) {
    this.engine = engine;
    this.containerId = containerId;
    this.serverUrl = serverUrl;
    this.boot = new BootProbe(serverUrl);
  }

  @Override
  public String awaited() {
    return "the k3s server to write its kubeconfig";
  }

  @Override
  public boolean reached() {
    BootProbe.Stage stage = boot.stage();
    boolean look =
        stage == BootProbe.Stage.READY
            || (stage == BootProbe.Stage.SERVING
                && System.nanoTime() - lastCopy >= COPY_EVERY.toNanos());
    if (!look) {
      return false;
    }
    lastCopy = System.nanoTime();
    Optional<Kubeconfig> written = read(engine, containerId);
    if (written.isEmpty()) {
      return false;
    }
    kubeconfig = written.get().withServer(serverUrl);
    api = new ApiServer(kubeconfig);
    return true;
  }

  @Override
  public boolean stays() {
    return true;
  }

  /** The copied kubeconfig; null until reached. */
  Kubeconfig kubeconfig() {
    return kubeconfig;
  }

  /** The API server through the copied kubeconfig; null until reached. */
  ApiServer api() {
    return api;
  }

  /** The kubeconfig the server wrote, as it is in the container, or empty when not there yet. */
  static Optional<Kubeconfig> read(ContainerEngine engine, String containerId) {
    return engine
        .readFile(containerId, ServerRecipe.KUBECONFIG_PATH)
        .map(yaml -> Kubeconfig.parse(yaml, ServerRecipe.KUBECONFIG_PATH + " in the container"));
  }
}
