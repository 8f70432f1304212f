package dev.k3sbox.core.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A probe container: a command run from a local image with the one setting of the host's a probe
 * tests. Not a {@link ContainerSpec}: that is the server's (a restart policy, the host or the
 * default bridge network only), while a probe needs {@code --network none} and user-defined
 * networks, and an entrypoint of its own.
 *
 * @param command the entrypoint and its arguments, in place of the image's own (the k3s image's
 *     entrypoint is k3s itself)
 * @param network Docker's network mode: {@code none}, {@code host}, {@code bridge} or a network's
 *     name
 * @param capAdd capability names (without {@code CAP_}) to add
 * @param securityOpt e.g. {@code seccomp=unconfined}
 * @param binds {@code source:target:mode}, the source a host path or a volume's name
 * @param tmpfs mount point to its mount options
 * @param publishedPort a container port published on 127.0.0.1 at a host port the engine picks (so
 *     a probe never collides); 0 for none
 */
public record ProbeSpec(
    String image,
    List<String> command,
    String network,
    boolean privileged,
    List<String> capAdd,
    List<String> securityOpt,
    List<String> binds,
    Map<String, String> tmpfs,
    int publishedPort) {

  /**
   * {@code command} from {@code image} with {@code --network none}: a probe that does not test
   * networking must not fail where only the bridge is refused.
   */
  public static ProbeSpec of(String image, List<String> command) {
    return new ProbeSpec(
        image, command, "none", false, List.of(), List.of(), List.of(), Map.of(), 0);
  }

  public ProbeSpec onNetwork(String mode) {
    return new ProbeSpec(
        image, command, mode, privileged, capAdd, securityOpt, binds, tmpfs, publishedPort);
  }

  public ProbeSpec asPrivileged() {
    return new ProbeSpec(
        image, command, network, true, capAdd, securityOpt, binds, tmpfs, publishedPort);
  }

  public ProbeSpec withCapabilities(List<String> add, List<String> options) {
    return new ProbeSpec(
        image,
        command,
        network,
        privileged,
        List.copyOf(add),
        List.copyOf(options),
        binds,
        tmpfs,
        publishedPort);
  }

  public ProbeSpec withBind(String bind) {
    List<String> all = new ArrayList<>(binds);
    all.add(bind);
    return new ProbeSpec(
        image, command, network, privileged, capAdd, securityOpt, all, tmpfs, publishedPort);
  }

  public ProbeSpec withTmpfs(String mountPoint, String options) {
    Map<String, String> all = new LinkedHashMap<>(tmpfs);
    all.put(mountPoint, options);
    return new ProbeSpec(
        image, command, network, privileged, capAdd, securityOpt, binds, all, publishedPort);
  }

  public ProbeSpec publishing(int containerPort) {
    return new ProbeSpec(
        image, command, network, privileged, capAdd, securityOpt, binds, tmpfs, containerPort);
  }
}
