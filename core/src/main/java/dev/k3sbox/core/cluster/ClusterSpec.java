package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.image.KubernetesVersion;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code up} is asked for. Built with {@link #builder(String)}; {@code build()} checks every
 * field, so an invalid spec never reaches Docker.
 */
public record ClusterSpec(
    String name,
    Optional<String> image,
    Optional<KubernetesVersion> kubernetesVersion,
    int apiPort,
    String bindAddress,
    Duration timeout,
    List<String> k3sArgs,
    PrivilegeMode privilegeMode,
    NetworkMode networkMode,
    boolean mergeKubeconfig,
    boolean mayInstallDocker,
    boolean mayBuildImage,
    boolean keepOnFailure) {

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The address clients on this host use: the bind address, or loopback for a wildcard. */
  public String clientHost() {
    return clientHost(bindAddress);
  }

  static String clientHost(String bindAddress) {
    try {
      InetAddress a = InetAddress.getByName(bindAddress);
      return a.isAnyLocalAddress() ? "127.0.0.1" : bindAddress;
    } catch (UnknownHostException e) {
      return bindAddress;
    }
  }

  /** The same spec with another image. */
  public ClusterSpec withImage(String newImage) {
    return copy(Optional.of(newImage), apiPort, bindAddress);
  }

  /** The same spec on another API port, address and network (those of an existing container). */
  ClusterSpec onPort(int port, String bind, NetworkMode network) {
    return copy(image, port, bind, network);
  }

  private ClusterSpec copy(Optional<String> newImage, int port, String bind) {
    return copy(newImage, port, bind, networkMode);
  }

  private ClusterSpec copy(Optional<String> newImage, int port, String bind, NetworkMode network) {
    return new ClusterSpec(
        name,
        newImage,
        kubernetesVersion,
        port,
        bind,
        timeout,
        k3sArgs,
        privilegeMode,
        network,
        mergeKubeconfig,
        mayInstallDocker,
        mayBuildImage,
        keepOnFailure);
  }

  /** The URL clients on this host use for an API bound to {@code bindAddress:port}. */
  static String serverUrl(String bindAddress, int port) {
    String host = clientHost(bindAddress);
    return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  public static final class Builder {
    private final String name;
    private String image;
    private KubernetesVersion kubernetesVersion;
    private int apiPort = 6443;
    private String bindAddress = "127.0.0.1";
    private Duration timeout = Duration.ofMinutes(3);
    private final List<String> k3sArgs = new ArrayList<>();
    private PrivilegeMode privilegeMode = PrivilegeMode.AUTO;
    private NetworkMode networkMode = NetworkMode.HOST;
    private boolean mergeKubeconfig = true;
    private boolean mayInstallDocker = true;
    private boolean mayBuildImage = true;
    private boolean keepOnFailure;

    private Builder(String name) {
      this.name = name;
    }

    public Builder image(String image) {
      this.image = image;
      return this;
    }

    /** The Kubernetes version to run when no image is named: a stand-in of it, built if need be. */
    public Builder kubernetesVersion(KubernetesVersion version) {
      this.kubernetesVersion = version;
      return this;
    }

    public Builder apiPort(int apiPort) {
      this.apiPort = apiPort;
      return this;
    }

    public Builder bindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder k3sArgs(List<String> args) {
      this.k3sArgs.addAll(args);
      return this;
    }

    public Builder privilegeMode(PrivilegeMode mode) {
      this.privilegeMode = mode;
      return this;
    }

    public Builder networkMode(NetworkMode mode) {
      this.networkMode = mode;
      return this;
    }

    public Builder mergeKubeconfig(boolean merge) {
      this.mergeKubeconfig = merge;
      return this;
    }

    public Builder mayInstallDocker(boolean mayInstall) {
      this.mayInstallDocker = mayInstall;
      return this;
    }

    /** Whether {@code up} may build the stand-in when no image is here and none can be pulled. */
    public Builder mayBuildImage(boolean mayBuild) {
      this.mayBuildImage = mayBuild;
      return this;
    }

    public Builder keepOnFailure(boolean keep) {
      this.keepOnFailure = keep;
      return this;
    }

    public ClusterSpec build() {
      ClusterName.validate(name);
      if (apiPort < 1 || apiPort > 65535) {
        throw new K3sboxException(
            Failure.USAGE, "--api-port " + apiPort + " is not a port; use 1-65535 (default 6443)");
      }
      if (apiPort == 65535 && networkMode == NetworkMode.HOST) {
        throw new K3sboxException(
            Failure.USAGE,
            "--api-port 65535 leaves no port for k3s's kube-apiserver (the API port + 1); use"
                + " 1-65534 (default 6443)");
      }
      if (!isIpLiteral(bindAddress)) {
        throw new K3sboxException(
            Failure.USAGE,
            "--bind '" + bindAddress + "' is not an IP address; use e.g. 127.0.0.1 or 0.0.0.0");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new K3sboxException(Failure.USAGE, "--timeout must be positive, e.g. 90s or 3m");
      }
      if (bindAddress.contains(":")) {
        // The server's own listeners and its readiness checks are IPv4 (127.0.0.1): an IPv6
        // bind was accepted and then never became ready. Refused until it is supported.
        throw new K3sboxException(
            Failure.USAGE,
            "--bind "
                + bindAddress
                + ": IPv6 addresses are not supported yet; use 127.0.0.1 (default) or an IPv4"
                + " address such as 0.0.0.0");
      }
      for (String arg : k3sArgs) {
        refuseManagedK3sArg(arg);
      }
      if (image != null && kubernetesVersion != null) {
        throw new K3sboxException(
            Failure.USAGE,
            "--image and --kubernetes-version cannot be used together; pass one (an image brings"
                + " its own version)");
      }
      if (image != null && image.isBlank()) {
        throw new K3sboxException(
            Failure.USAGE, "--image is empty; name an image like k3sbox/k3s:v1.33.5");
      }
      return new ClusterSpec(
          name,
          Optional.ofNullable(image),
          Optional.ofNullable(kubernetesVersion),
          apiPort,
          bindAddress,
          timeout,
          List.copyOf(k3sArgs),
          privilegeMode,
          networkMode,
          mergeKubeconfig,
          mayInstallDocker,
          mayBuildImage,
          keepOnFailure);
    }

    /**
     * k3s flags k3sbox sets itself from its own options, which it records with the cluster and
     * shows in {@code status}: given through --k3s-arg they would silently disagree with both (an
     * API on every interface while the label says 127.0.0.1).
     */
    private static void refuseManagedK3sArg(String arg) {
      Map<String, String> managed =
          Map.of(
              "--bind-address", "--bind",
              "--https-listen-port", "--api-port",
              "--data-dir", "nothing (the data lives in the cluster's volume)",
              "--write-kubeconfig", "nothing (`k3sbox kubeconfig` prints it)");
      String flag = arg.strip().split("[= ]", 2)[0];
      String instead = managed.get(flag.startsWith("--") ? flag : "--" + flag);
      if (instead != null) {
        throw new K3sboxException(
            Failure.USAGE,
            "--k3s-arg "
                + arg
                + ": k3sbox sets "
                + flag
                + " itself; use "
                + instead
                + (instead.startsWith("--") ? " instead" : ""));
      }
    }

    private static boolean isIpLiteral(String s) {
      if (s == null || s.isEmpty() || !(s.matches("[0-9.]+") || s.contains(":"))) {
        return false;
      }
      try {
        InetAddress.getByName(s); // literal: no lookup happens
        return s.contains(":") || s.split("\\.").length == 4;
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }
}
