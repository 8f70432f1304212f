package dev.k3sbox.core.engine;

import java.util.List;
import java.util.Map;

/**
 * A container to create, in the engine's terms: k3sbox's server is the one kind it makes.
 *
 * @param tmpfs mount point to its mount options
 * @param binds {@code volume:path:mode} mounts
 * @param privileged every capability and device ({@code --privileged})
 * @param capAdd capabilities to add (names without {@code CAP_})
 * @param securityOpt e.g. {@code seccomp=unconfined}
 * @param hostNetwork the host's network; otherwise the default bridge, publishing {@code port}
 * @param port the one port published on a bridge network; null on the host network
 */
public record ContainerSpec(
    String name,
    String image,
    List<String> cmd,
    List<String> env,
    Map<String, String> labels,
    Map<String, String> tmpfs,
    List<String> binds,
    boolean privileged,
    List<String> capAdd,
    List<String> securityOpt,
    boolean hostNetwork,
    PublishedPort port) {

  /** {@code hostIp:hostPort} on the host to {@code containerPort/tcp} inside. */
  public record PublishedPort(String hostIp, int hostPort, int containerPort) {}
}
