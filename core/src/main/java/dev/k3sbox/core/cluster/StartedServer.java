package dev.k3sbox.core.cluster;

/**
 * A cluster's server container as the engine has it, before or without {@code up} finishing it.
 *
 * @param id the container's id
 * @param image the image it runs
 * @param apiPort the API port it was made with
 * @param running whether it runs (booted or booting)
 */
public record StartedServer(String id, String image, int apiPort, boolean running) {}
