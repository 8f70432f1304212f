package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.cluster.ClusterManager;
import dev.k3sbox.core.cluster.ClusterName;
import dev.k3sbox.core.cluster.ClusterRecord;
import dev.k3sbox.core.cluster.ClusterSpec;
import dev.k3sbox.core.cluster.NetworkMode;
import dev.k3sbox.core.cluster.PrivilegeMode;
import dev.k3sbox.core.image.KubernetesVersion;
import dev.k3sbox.core.state.StateDir;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code k3sbox up}: make (or start, or repair) a cluster and wait until it is ready. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start a k3s control plane in Docker and wait for its API.",
      "Starts dockerd when none runs (installing docker.io as root unless --no-install), writes"
          + " ~/.k3sbox/clusters/NAME/kubeconfig.yaml (0600) and merges context k3sbox-NAME into"
          + " $KUBECONFIG or ~/.kube/config. On a running cluster it returns at once."
    })
public final class UpCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin ClusterNameOption cluster;

  @Option(
      names = "--image",
      description = "Server image (default: rancher/k3s pinned, else a local k3sbox image).")
  String image;

  @Option(
      names = "--kubernetes-version",
      paramLabel = "V",
      description =
          "Run this Kubernetes version (1.34 to 1.37, or a patch like v1.36.1): a local image of"
              + " it, else the stand-in of it, built as `image build --standin"
              + " --kubernetes-version V` builds it.")
  String kubernetesVersion;

  @Option(
      names = "--api-port",
      defaultValue = "6443",
      description = "API server port (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description =
          "Address the API listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes it to the network).")
  String bind;

  @Option(
      names = "--timeout",
      defaultValue = "3m",
      converter = DurationConverter.class,
      description = "How long to wait for the API (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--k3s-arg",
      paramLabel = "ARG",
      description = "Extra argument for `k3s server` (repeatable).")
  List<String> k3sArgs = new ArrayList<>();

  @Option(
      names = "--privileged",
      defaultValue = "auto",
      paramLabel = "always|never|auto",
      description = "Privilege of the server container (default: ${DEFAULT-VALUE}: probe).")
  PrivilegeMode privileged;

  @Option(
      names = "--network",
      defaultValue = "host",
      paramLabel = "host|bridge",
      description =
          "host (default; works where bridge is refused) or bridge with a published port.")
  NetworkMode network;

  @Option(names = "--no-merge", description = "Do not touch $KUBECONFIG or ~/.kube/config.")
  boolean noMerge;

  @Option(names = "--no-install", description = "Never install docker.io.")
  boolean noInstall;

  @Option(
      names = "--no-build",
      description =
          "Never build the stand-in image when no server image is here and none can be pulled.")
  boolean noBuild;

  @Option(
      names = "--keep-on-failure",
      description = "Keep a cluster that failed to start, for debugging.")
  boolean keepOnFailure;

  @Override
  public Integer call() {
    Console console = global.console();
    ClusterManager manager = ClusterManagers.fromEnvironment(console);
    // A cluster keeps the port and address it was made with unless told otherwise: recreating a
    // removed or crash-looping container must not move it to 127.0.0.1:6443.
    var parsed = global.spec.commandLine().getParseResult();
    Optional<ClusterRecord> recorded = manager.recorded(cluster.name());
    if (!parsed.hasMatchedOption("--api-port") && recorded.isPresent()) {
      apiPort = recorded.get().apiPort();
    }
    if (!parsed.hasMatchedOption("--bind") && recorded.isPresent()) {
      bind = recorded.get().bindAddress();
    }
    // ... and its server arguments: a recreated container gets the --k3s-args it was made with.
    if (!parsed.hasMatchedOption("--k3s-arg") && recorded.isPresent()) {
      k3sArgs = new ArrayList<>(recorded.get().k3sArgs());
    }
    ClusterSpec spec =
        ClusterSpec.builder(cluster.name())
            .image(image)
            .kubernetesVersion(
                kubernetesVersion == null ? null : KubernetesVersion.parse(kubernetesVersion))
            .apiPort(apiPort)
            .bindAddress(bind)
            .timeout(timeout)
            .k3sArgs(k3sArgs)
            .privilegeMode(privileged)
            .networkMode(network)
            .mergeKubeconfig(!noMerge)
            .mayInstallDocker(!noInstall)
            .mayBuildImage(!noBuild)
            .keepOnFailure(keepOnFailure)
            .build();
    if (!bind.equals("127.0.0.1")) {
      console.warn(
          "the API will listen on " + bind + ": anyone who can reach it can try to use it");
    }
    ClusterRecord record = manager.up(spec);
    console.done(
        "cluster "
            + record.name()
            + " is ready at "
            + record.server()
            + " (Kubernetes "
            + record.kubernetesVersion()
            + ", privilege "
            + record.privilegeProfile()
            + ", network "
            + record.networkMode()
            + ")");
    console.info(
        "kubeconfig: "
            + StateDir.fromEnvironment().kubeconfig(record.name())
            + (noMerge ? "" : ", context " + ClusterName.context(record.name())));
    return 0;
  }
}
