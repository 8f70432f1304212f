package dev.k3sbox.cli.command;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.cluster.ClusterRecord;
import dev.k3sbox.core.cluster.ClusterSpec;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Starts a cluster k3sbox names itself (an upgrade check's throwaway, a matrix's version server) on
 * the first API port from a given one at which every port its server binds is free (the API port
 * and the one above it, which k3s's kube-apiserver takes: {@link ClusterManager#freeApiPort}).
 * Between the check and the server's bind another process may take the pair (two checks at once):
 * then the next pair, a few times.
 */
final class FreePortStart {
  private static final int ATTEMPTS = 3;

  private FreePortStart() {}

  /**
   * {@code up} of {@code specAt(port)} on the first free pair from {@code from}.
   *
   * @param purpose what the cluster is for, as the error says it ("the throwaway cluster of the
   *     upgrade check")
   */
  static ClusterRecord up(
      ClusterManager manager, IntFunction<ClusterSpec> specAt, int from, String purpose) {
    return onFreePort(specAt, from, purpose, manager::up);
  }

  /** {@link ClusterManager#start} (no waiting) of {@code specAt(port)}, as {@link #up} picks it. */
  static void start(
      ClusterManager manager, IntFunction<ClusterSpec> specAt, int from, String purpose) {
    onFreePort(
        specAt,
        from,
        purpose,
        spec -> {
          manager.start(spec);
          return null;
        });
  }

  private static <T> T onFreePort(
      IntFunction<ClusterSpec> specAt, int from, String purpose, Function<ClusterSpec, T> action) {
    for (int attempt = 1; ; attempt++) {
      int near = from;
      int port =
          ClusterManager.freeApiPort(specAt.apply(near))
              .orElseThrow(
                  () ->
                      new K3sboxException(
                          Failure.PORT_IN_USE,
                          "no two free ports near " + near + " for " + purpose));
      try {
        return action.apply(specAt.apply(port));
      } catch (K3sboxException e) {
        if (e.failure() != Failure.PORT_IN_USE || attempt == ATTEMPTS) {
          throw e;
        }
        from = port + 2;
      }
    }
  }
}
