package dev.k3sbox.core.cluster;

import dev.k3sbox.core.api.ApiServer;
import java.util.function.Supplier;

/** {@code /readyz} answers 200 through the copied kubeconfig, from this host. */
final class ApiReadyz implements ReadinessStep {
  private final String serverUrl;
  private final Supplier<ApiServer> api;

  ApiReadyz(String serverUrl, Supplier<ApiServer> api) {
    this.serverUrl = serverUrl;
    this.api = api;
  }

  @Override
  public String awaited() {
    return "the API server at " + serverUrl + " (/readyz)";
  }

  @Override
  public boolean reached() {
    return api.get().ready();
  }
}
