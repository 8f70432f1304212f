package dev.k3sbox.core.docker;

import com.github.dockerjava.api.DockerClient;

/**
 * A reachable Docker daemon: its client, what it reports about itself, and whether k3sbox started
 * it (only then may {@code down --stop-docker} stop it).
 */
public record DaemonInfo(
    DockerClient client,
    String host,
    String serverVersion,
    String apiVersion,
    String storageDriver,
    String dockerRootDir,
    boolean startedByK3sbox) {}
