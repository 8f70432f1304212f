package dev.k3sbox.core.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A reachable Docker daemon: its client, what it reports about itself, and whether k3sbox started
 * it (only then may {@code down --stop-docker} stop it).
 *
 * <p>What it reports is fetched in the background from the moment the daemon answers: {@code GET
 * /info} takes about 0.1 s, and {@code up} needs its answer (the storage driver) only after the
 * server container has started.
 */
public final class DaemonInfo {
  private final DockerClient client;
  private final String host;
  private final boolean startedByK3sbox;
  private final CompletableFuture<Details> details;

  private record Details(
      String serverVersion, String apiVersion, String storageDriver, String dockerRootDir) {}

  private DaemonInfo(
      DockerClient client,
      String host,
      boolean startedByK3sbox,
      CompletableFuture<Details> details) {
    this.client = client;
    this.host = host;
    this.startedByK3sbox = startedByK3sbox;
    this.details = details;
  }

  /** Starts asking the daemon about itself; the answers wait in the accessors. */
  static DaemonInfo describe(DockerClient client, String host, boolean startedByK3sbox) {
    CompletableFuture<Version> version =
        CompletableFuture.supplyAsync(() -> client.versionCmd().exec());
    CompletableFuture<Details> details =
        CompletableFuture.supplyAsync(() -> client.infoCmd().exec())
            .thenCombine(version, DaemonInfo::details);
    return new DaemonInfo(client, host, startedByK3sbox, details);
  }

  /** The same daemon, now known to be started by k3sbox. */
  DaemonInfo startedByK3sbox() {
    return new DaemonInfo(client, host, true, details);
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
    return startedByK3sbox;
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
      return details.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
