package dev.k3sbox.core.engine;

import dev.k3sbox.core.image.KubernetesVersion;
import dev.k3sbox.core.image.ServerImage;
import java.util.Optional;

/** One {@link FakeEngine}, running or not, with one server image. */
public final class FakeEngines implements ContainerEngines {
  public final FakeEngine engine = new FakeEngine();
  public boolean running = true;
  public ServerImage image =
      new ServerImage("k3sbox/controlplane-standin:v1.35.4", true, ServerImage.STANDIN);

  @Override
  public Optional<ContainerEngine> running() {
    return running ? Optional.of(engine) : Optional.empty();
  }

  @Override
  public ContainerEngine ensureRunning(boolean mayInstall) {
    running = true;
    return engine;
  }

  @Override
  public boolean stopIfStartedByK3sbox() {
    running = false;
    return true;
  }

  @Override
  public ServerImage serverImage(
      ContainerEngine engine,
      Optional<String> requested,
      Optional<KubernetesVersion> version,
      boolean mayBuild) {
    return requested
        .map(r -> new ServerImage(r, image.needsNoPrivilege(), image.serverKind()))
        .orElse(image);
  }
}
