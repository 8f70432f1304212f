package dev.k3sbox.core.cluster;

import dev.k3sbox.core.api.ApiServer;
import java.util.function.Supplier;

/**
 * The default service account exists: pods in namespace {@code default} need it, and it comes a
 * moment after {@code /readyz} (the stand-in makes it at once, k3s's controller manager ~0.1 s
 * later).
 */
final class DefaultServiceAccount implements ReadinessStep {
  private final Supplier<ApiServer> api;

  DefaultServiceAccount(Supplier<ApiServer> api) {
    this.api = api;
  }

  @Override
  public String awaited() {
    return "the default service account";
  }

  @Override
  public boolean reached() {
    return api.get().defaultServiceAccountExists();
  }
}
