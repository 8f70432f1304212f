package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.engine.ContainerSpec;
import dev.k3sbox.core.image.ImageCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the k3s server container is made: the seed experiment's recipe (host network, tmpfs for
 * {@code /run} and {@code /var/lib/kubelet}, {@code server --disable-agent}) plus a named data
 * volume so a stopped cluster restarts with its objects, and the API on loopback by default.
 */
final class ServerRecipe {
  /**
   * k3s's packaged add-ons, none of which can work without a node: their Deployments and Jobs never
   * run (coredns, local-path-provisioner, metrics-server, traefik's install Job, servicelb's
   * DaemonSet), a default StorageClass would name a provisioner that never provisions, and
   * metrics-server's APIService would stay unavailable, failing discovery of metrics.k8s.io. Kept:
   * the helm-controller (in-process; HelmChart objects can be made and validated) and the
   * RuntimeClasses of {@code runtimes}.
   */
  static final String DISABLED_ADDONS = "traefik,servicelb,metrics-server,coredns,local-storage";

  static final String DATA_DIR = "/var/lib/rancher/k3s";
  static final String KUBECONFIG_PATH = "/etc/rancher/k3s/k3s.yaml";

  private ServerRecipe() {}

  static List<String> serverArgs(ClusterSpec spec) {
    List<String> args = new ArrayList<>();
    args.add("server");
    args.add("--disable-agent");
    args.add("--disable=" + DISABLED_ADDONS);
    // Several clusters share the host network. k3s binds fixed loopback ports besides the API
    // port and its kube-apiserver's (the API port + 1, see ServerPorts): the controller manager's
    // 10257, the cloud controller's 10258 (run unless both it and servicelb are disabled) and the
    // scheduler's 10259. A second cluster's controller manager could not bind, and k3s would exit.
    // Without nodes nothing needs a scheduler or a cloud controller (with the cloud controller on,
    // k3s even holds the scheduler back until a node appears), and nothing scrapes the
    // controller manager.
    args.add("--disable-scheduler");
    args.add("--disable-cloud-controller");
    args.add("--kube-controller-manager-arg=secure-port=0");
    // No agent, no pod network: without this k3s still looks for the host-local CNI plugin,
    // which a k3s binary built from source (not the release's self-extracting one) lacks.
    args.add("--flannel-backend=none");
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
      if (spec.clientHost().startsWith("127.")) {
        // The kubernetes Service's endpoints may not be a loopback address: the API server's
        // endpoint reconciler would log a rejection every 10 s. Without nodes nothing uses them.
        args.add("--kube-apiserver-arg=endpoint-reconciler-type=none");
      }
    }
    args.add("--tls-san=" + spec.clientHost());
    args.add("--write-kubeconfig-mode=600");
    args.addAll(spec.k3sArgs());
    return args;
  }

  /**
   * The server container of {@code spec} on {@code image} with {@code profile}'s privilege: what
   * {@code up} asks the engine to create.
   */
  static ContainerSpec containerSpec(
      ClusterSpec spec,
      String image,
      PrivilegeProfile profile,
      List<String> capabilities,
      Map<String, String> baseLabels) {
    Map<String, String> labels = new HashMap<>(baseLabels);
    labels.put(Labels.ROLE, "server");
    labels.put(Labels.PRIVILEGE, profile.label());
    labels.put(Labels.NETWORK, spec.networkMode().label());
    labels.put(Labels.API_PORT, Integer.toString(spec.apiPort()));
    labels.put(Labels.BIND, spec.bindAddress());
    boolean host = spec.networkMode() == NetworkMode.HOST;
    return new ContainerSpec(
        ClusterName.container(spec.name()),
        image,
        serverArgs(spec),
        image.startsWith(ImageCatalog.STANDIN_REPOSITORY + ":")
            ? List.of("GOMEMLIMIT=" + memoryLimit())
            : List.of(),
        labels,
        Map.of("/run", "rw,exec,nosuid,nodev", "/var/lib/kubelet", "rw,exec,nosuid,nodev"),
        List.of(ClusterName.volume(spec.name()) + ":" + DATA_DIR + ":rw"),
        profile == PrivilegeProfile.PRIVILEGED,
        profile == PrivilegeProfile.CAPABILITIES ? List.copyOf(capabilities) : List.of(),
        profile == PrivilegeProfile.CAPABILITIES
            ? List.of("seccomp=unconfined", "apparmor=unconfined")
            : List.of(),
        host,
        host
            ? null
            : new ContainerSpec.PublishedPort(spec.bindAddress(), spec.apiPort(), spec.apiPort()));
  }

  static boolean isWildcard(String address) {
    return address.equals("0.0.0.0") || address.equals("::");
  }

  /**
   * The soft memory limit of each of the stand-in's Go processes (API server, controller manager,
   * supervisor with etcd). Go's collector otherwise lets a heap grow to twice what is live before
   * it collects: with the eight corpus charts' ~40 CRDs kept, the API server sat at 700-800 MiB;
   * with 450MiB the container stays at 525-540 MiB over rounds of validations. 300MiB was below
   * what the API server keeps live, and its collector then ran without pause (180% CPU idle), as
   * 450MiB did later with more CRDs kept: so the stand-in takes it as a floor and raises each
   * process's limit with its live heap (images/controlplane/memory.go). A soft limit: past it Go
   * collects more often, it never fails an allocation. Only for the stand-in, where it was
   * measured: k3s is one process holding everything. {@code K3SBOX_SERVER_GOMEMLIMIT} overrides it
   * (Go's syntax, e.g. 1GiB).
   */
  static String memoryLimit() {
    String override = System.getenv("K3SBOX_SERVER_GOMEMLIMIT");
    return override == null || override.isBlank() ? DEFAULT_MEMORY_LIMIT : override.strip();
  }

  static final String DEFAULT_MEMORY_LIMIT = "450MiB";
}
