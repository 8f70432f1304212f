package dev.k3sbox.core.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * A reachable Docker daemon: its client, what it reports about itself, and whether k3sbox started
 * it (only then may {@code down --stop-docker} stop it).
 *
 * <p>What it reports ({@code GET /info} and {@code /version}, about 0.1 s and a large JSON answer
 * for a cold JVM) is asked for once, on first use or in the background from {@link #prefetch}: a
 * command prefetches where it has time to spare, {@code up} once its server container has started
 * and is booting, not while the JVM is racing to start it.
 */
public final class DaemonInfo {
  private final DockerClient client;
  private final String host;
  // Asked only by doctor: reading k3sbox's dockerd record takes a cold JSON mapper (~20 ms).
  private final BooleanSupplier startedByK3sbox;
  private final Reports reports;

  private record Details(
      String serverVersion, String apiVersion, String storageDriver, String dockerRootDir) {}

  /** The daemon's answers, asked for once and shared by every view of the same daemon. */
  private static final class Reports {
    private final DockerClient client;
    private CompletableFuture<Details> details;

    Reports(DockerClient client) {
      this.client = client;
    }

    synchronized CompletableFuture<Details> get() {
      if (details == null) {
        CompletableFuture<Version> version =
            CompletableFuture.supplyAsync(() -> client.versionCmd().exec());
        details =
            CompletableFuture.supplyAsync(() -> client.infoCmd().exec())
                .thenCombine(version, DaemonInfo::details);
      }
      return details;
    }
  }

  private DaemonInfo(
      DockerClient client, String host, BooleanSupplier startedByK3sbox, Reports reports) {
    this.client = client;
    this.host = host;
    this.startedByK3sbox = startedByK3sbox;
    this.reports = reports;
  }

  static DaemonInfo describe(DockerClient client, String host, BooleanSupplier startedByK3sbox) {
    return new DaemonInfo(client, host, startedByK3sbox, new Reports(client));
  }

  /** The same daemon, now known to be started by k3sbox. */
  DaemonInfo startedByK3sbox() {
    return new DaemonInfo(client, host, () -> true, reports);
  }

  /** Starts asking the daemon about itself in the background; the accessors wait for it. */
  public void prefetch() {
    reports.get();
  }

  private static Details details(Info info, Version version) {
    return new Details(
        version.getVersion(), version.getApiVersion(), info.getDriver(), info.getDockerRootDir());
  }

  public DockerClient client() {
    return client;
  }

  public String host() {
    return host;
  }

  public boolean isStartedByK3sbox() {
    return startedByK3sbox.getAsBoolean();
  }

  public String serverVersion() {
    return details().serverVersion();
  }

  public String apiVersion() {
    return details().apiVersion();
  }

  public String storageDriver() {
    return details().storageDriver();
  }

  public String dockerRootDir() {
    return details().dockerRootDir();
  }

  private Details details() {
    try {
      return reports.get().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
