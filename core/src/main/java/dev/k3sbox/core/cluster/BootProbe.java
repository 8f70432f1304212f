package dev.k3sbox.core.cluster;

import dev.k3sbox.core.api.ApiServer;
import java.time.Duration;

/**
 * Whether a booting API server has got far enough for its kubeconfig to be worth copying out of the
 * container: it answers an anonymous {@code /readyz} with 200, or with 401/403 where anonymous
 * requests are refused (k3s writes its kubeconfig before that).
 *
 * <p>Copying a file out of a container re-executes dockerd in a chroot: tens of milliseconds of
 * CPU, taken from a server booting on two cores, every poll. A refused connection costs
 * microseconds; behind a published port Docker's proxy accepts at once, but then the TLS handshake
 * fails until the server listens, so the answer is right on both networks.
 */
final class BootProbe {
  // Where nothing answers at all (a filtered address), a poll gives up after this.
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(200);
  private final String serverUrl;

  BootProbe(String serverUrl) {
    this.serverUrl = serverUrl;
  }

  enum Stage {
    /** Port closed, TLS not up, or {@code /readyz} failing: nothing to copy yet. */
    BOOTING,
    /**
     * Anonymous {@code /readyz} is 403: RBAC is still being set up, or anonymous users may not read
     * it here. The kubeconfig may exist; worth an occasional look.
     */
    SERVING,
    /**
     * Anonymous {@code /readyz} is 200, or 401 where anonymous requests are refused (k3s's default,
     * which writes its kubeconfig before the API serves): copy it now.
     */
    READY
  }

  Stage stage() {
    int code = ApiServer.anonymousStatus(serverUrl, "/readyz", CONNECT_TIMEOUT);
    if (code == 200 || code == 401) {
      return Stage.READY;
    }
    return code >= 400 && code < 500 ? Stage.SERVING : Stage.BOOTING;
  }
}
