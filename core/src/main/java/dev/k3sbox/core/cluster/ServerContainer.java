package dev.k3sbox.core.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import dev.k3sbox.core.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the k3s server container is made: the seed experiment's recipe (host network, tmpfs for
 * {@code /run} and {@code /var/lib/kubelet}, {@code server --disable-agent}) plus a named data
 * volume so a stopped cluster restarts with its objects, and the API on loopback by default.
 */
final class ServerContainer {
  /** k3s add-ons that need an agent or are no use to chart validation. */
  static final String DISABLED_ADDONS = "traefik,servicelb,metrics-server";

  static final String DATA_DIR = "/var/lib/rancher/k3s";
  static final String KUBECONFIG_PATH = "/etc/rancher/k3s/k3s.yaml";

  private ServerContainer() {}

  static List<String> serverArgs(ClusterSpec spec) {
    List<String> args = new ArrayList<>();
    args.add("server");
    args.add("--disable-agent");
    args.add("--disable=" + DISABLED_ADDONS);
    args.add("--https-listen-port=" + spec.apiPort());
    boolean wildcard = spec.networkMode() == NetworkMode.BRIDGE || isWildcard(spec.bindAddress());
    if (spec.networkMode() == NetworkMode.BRIDGE) {
      // Inside its own network namespace the server must listen where the published port arrives.
      args.add("--bind-address=0.0.0.0");
    } else {
      args.add("--bind-address=" + spec.bindAddress());
    }
    if (!wildcard) {
      args.add("--advertise-address=" + spec.bindAddress());
    }
    args.add("--tls-san=" + spec.clientHost());
    args.add("--write-kubeconfig-mode=600");
    args.addAll(spec.k3sArgs());
    return args;
  }

  static CreateContainerCmd create(
      DockerClient docker,
      ClusterSpec spec,
      String image,
      PrivilegeProfile profile,
      List<Capability> capabilities,
      Map<String, String> baseLabels) {
    Map<String, String> labels = new HashMap<>(baseLabels);
    labels.put(Labels.ROLE, "server");
    labels.put(Labels.PRIVILEGE, profile.label());
    labels.put(Labels.NETWORK, spec.networkMode().label());
    labels.put(Labels.API_PORT, Integer.toString(spec.apiPort()));
    labels.put(Labels.BIND, spec.bindAddress());

    HostConfig host =
        HostConfig.newHostConfig()
            .withTmpFs(
                Map.of("/run", "rw,exec,nosuid,nodev", "/var/lib/kubelet", "rw,exec,nosuid,nodev"))
            .withBinds(new Bind(ClusterName.volume(spec.name()), new Volume(DATA_DIR)))
            // A daemon restart brings the cluster back by itself; `down` is the way to stop it.
            .withRestartPolicy(RestartPolicy.unlessStoppedRestart());
    switch (profile) {
      case PRIVILEGED -> host.withPrivileged(true);
      case CAPABILITIES ->
          host.withCapAdd(capabilities.toArray(Capability[]::new))
              .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"));
      case NONE -> {}
    }
    CreateContainerCmd cmd =
        docker
            .createContainerCmd(image)
            .withName(ClusterName.container(spec.name()))
            .withLabels(labels)
            .withCmd(serverArgs(spec));
    if (spec.networkMode() == NetworkMode.HOST) {
      host.withNetworkMode("host");
    } else {
      ExposedPort api = ExposedPort.tcp(spec.apiPort());
      host.withNetworkMode("bridge")
          .withPortBindings(
              new PortBinding(
                  Ports.Binding.bindIpAndPort(spec.bindAddress(), spec.apiPort()), api));
      cmd.withExposedPorts(api);
    }
    return cmd.withHostConfig(host);
  }

  static boolean isWildcard(String address) {
    return address.equals("0.0.0.0") || address.equals("::");
  }
}
