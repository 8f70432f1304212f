package dev.k3sbox.helm.install;

import java.time.Duration;

/**
 * How to install.
 *
 * @param createNamespace create the release namespace when it is missing
 * @param waitForReady wait for what can become ready without nodes (CRDs established, namespaces
 *     active, services with a cluster IP)
 * @param timeout the longest any one wait may take
 * @param noHooks skip the chart's hooks, as {@code helm install --no-hooks}
 */
public record InstallSpec(
    boolean createNamespace, boolean waitForReady, Duration timeout, boolean noHooks) {
  public InstallSpec {
    timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
  }

  public InstallSpec(boolean createNamespace, boolean waitForReady, Duration timeout) {
    this(createNamespace, waitForReady, timeout, false);
  }
}
