package dev.k3sbox.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.k3sbox.cli.ExitCode;
import dev.k3sbox.core.Labels;
import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server container as {@code up} asks Docker for it, in the shapes the default run does not
 * take: a bridge network with a published port, and each privilege profile {@code
 * --privileged=auto} tries on an image that does not say it needs none. Read back with {@code
 * docker inspect}.
 */
class ContainerShapesIT {
  /** The server image without its "needs no privilege" label, so that auto probes the profiles. */
  private static final String UNLABELLED = "k3sbox-it/unlabelled-server:1";

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @Test
  void shouldPublishApiOnLoopbackOnlyOnBridgeNetwork() throws Exception {
    // Given
    String name = "it-bridge";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);

    // When
    Served up =
        upServing(
            k3sbox,
            name,
            "--api-port",
            "16473",
            "--network",
            "bridge",
            "--image",
            SharedK3s.image());

    // Then
    try {
      InspectContainerResponse server = up.server();
      HostConfig host = server.getHostConfig();
      assertThat(host.getNetworkMode()).isEqualTo("bridge");
      Ports.Binding[] published = host.getPortBindings().getBindings().get(ExposedPort.tcp(16473));
      assertThat(published).hasSize(1);
      assertThat(published[0].getHostIp()).isEqualTo("127.0.0.1");
      assertThat(published[0].getHostPortSpec()).isEqualTo("16473");
      assertThat(server.getConfig().getExposedPorts()).containsExactly(ExposedPort.tcp(16473));
      assertCommonShape(name, server);
      assertThat(server.getConfig().getLabels()).containsEntry(Labels.NETWORK, "bridge");
    } finally {
      assertThat(k3sbox.run("down", "--name", name).exitCode()).isZero();
    }
  }

  @Test
  void shouldRunAnUnlabelledImageWithNoPrivilegeFirst() throws Exception {
    // Given: an image without the "needs no privilege" label, as rancher/k3s has none: an
    // agentless k3s server needs no privilege, so auto tries none first (it used to try
    // --privileged first, and give a host-network container full privilege for nothing)
    String name = "it-profiles";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    buildUnlabelledImage();

    // When
    Served up;
    try {
      up = upServing(k3sbox, name, "--api-port", "16475", "--image", UNLABELLED);
    } catch (RuntimeException | AssertionError e) {
      removeUnlabelledImage();
      throw e;
    }

    // Then: none, said by status, and nothing tried before it
    try {
      InspectContainerResponse server = up.server();
      HostConfig host = server.getHostConfig();
      assertThat(server.getConfig().getLabels()).containsEntry(Labels.PRIVILEGE, "none");
      assertThat(host.getPrivileged()).isFalse();
      assertThat(host.getCapAdd()).isNullOrEmpty();
      assertThat(up.output().err()).doesNotContain("refused here");
      assertThat(host.getNetworkMode()).isEqualTo("host");
      assertCommonShape(name, server);
      var status = k3sbox.run("status", "--name", name, "--json");
      assertThat(JSON.readTree(status.out()).path("privilegeProfile").asText()).isEqualTo("none");
      assertThat(k3sbox.run("status", "--name", name).out()).contains("privilege:      none");
    } finally {
      assertThat(k3sbox.run("down", "--name", name).exitCode()).isZero();
      removeUnlabelledImage();
    }
  }

  @Test
  void shouldRefuseVolumeOrContainerOfItsNamesThatItDidNotLabel() throws Exception {
    // Given: a volume with the data volume's name, not made by k3sbox
    String name = "it-foreign";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    String[] upCommand = {
      "up", "--name", name, "--api-port", "16477", "--image", SharedK3s.image()
    };
    String volume = "k3sbox-" + name + "-data";
    DockerState.DOCKER.createVolumeCmd().withName(volume).exec();
    try {
      // When
      var up = k3sbox.run(upCommand);

      // Then: refused in one line, the volume left as it was, nothing created
      assertThat(up.exitCode()).isEqualTo(ExitCode.UNAVAILABLE.code());
      assertThat(up.err())
          .contains("a volume named " + volume + " exists but k3sbox did not label it")
          .doesNotContain("\tat ");
      assertThat(DockerState.DOCKER.inspectVolumeCmd(volume).exec().getLabels()).isNullOrEmpty();
      assertThat(DockerState.containers(name)).isEmpty();
    } finally {
      DockerState.DOCKER.removeVolumeCmd(volume).exec();
    }

    // Given: a container with the server's name, not made by k3sbox
    String foreign =
        DockerState.DOCKER
            .createContainerCmd(SharedK3s.image())
            .withName("k3sbox-" + name)
            .withCmd("true")
            .exec()
            .getId();
    try {
      // When
      var up = k3sbox.run(upCommand);

      // Then
      assertThat(up.exitCode()).isEqualTo(ExitCode.UNAVAILABLE.code());
      assertThat(up.err())
          .contains("a container named k3sbox-" + name + " exists but k3sbox did not label it");
      assertThat(DockerState.DOCKER.inspectContainerCmd(foreign).exec().getId()).isEqualTo(foreign);
      assertThat(DockerState.volumes(name)).isEmpty();
      // status and logs see it as up does: not a cluster of k3sbox's
      var status = JSON.readTree(k3sbox.run("status", "--name", name, "--json").out());
      assertThat(status.path("state").asText()).isEqualTo("absent");
      assertThat(status.path("detail").asText()).contains("did not label it");
      var logs = k3sbox.run("logs", "--name", name);
      assertThat(logs.exitCode()).isEqualTo(ExitCode.UNAVAILABLE.code());
      assertThat(logs.err()).contains("did not label it");
    } finally {
      DockerState.DOCKER.removeContainerCmd(foreign).withForce(true).withRemoveVolumes(true).exec();
    }
  }

  /** A cluster that `up` made and that serves, with `up`'s output and its container. */
  private record Served(ChildJvm.Result output, InspectContainerResponse server) {}

  /**
   * `up` of cluster {@code name} afresh with {@code args}: it must exit 0 and the API must answer
   * through the kubeconfig it wrote. When not, `down` removes what it made before the test fails.
   */
  private static Served upServing(K3sboxProcess k3sbox, String name, String... args)
      throws IOException {
    DockerState.purge(name);
    List<String> command = new ArrayList<>(List.of("up", "--name", name));
    command.addAll(List.of(args));
    ChildJvm.Result up = k3sbox.run(command.toArray(String[]::new));
    try {
      assertThat(up.exitCode()).as(up.err()).isZero();
      try (KubernetesClient client = k3sbox.client(name)) {
        assertThat(client.namespaces().withName("kube-system").get()).isNotNull();
      }
      return new Served(up, inspect(name));
    } catch (IOException | RuntimeException | AssertionError e) {
      k3sbox.run("down", "--name", name);
      throw e;
    }
  }

  /** What every shape has: tmpfs, the data volume, the restart policy, k3sbox's labels. */
  private static void assertCommonShape(String name, InspectContainerResponse server) {
    HostConfig host = server.getHostConfig();
    assertThat(server.getName()).isEqualTo("/k3sbox-" + name);
    assertThat(host.getTmpFs())
        .containsOnly(
            Map.entry("/run", "rw,exec,nosuid,nodev"),
            Map.entry("/var/lib/kubelet", "rw,exec,nosuid,nodev"));
    assertThat(host.getBinds())
        .extracting(b -> b.getPath() + ":" + b.getVolume().getPath() + ":" + b.getAccessMode())
        .containsExactly("k3sbox-" + name + "-data:/var/lib/rancher/k3s:rw");
    assertThat(host.getRestartPolicy().getName()).isEqualTo("unless-stopped");
    assertThat(host.getRestartPolicy().getMaximumRetryCount()).isZero();
    assertThat(server.getConfig().getLabels())
        .containsEntry(Labels.MANAGED, "true")
        .containsEntry(Labels.CLUSTER, name)
        .containsEntry(Labels.ROLE, "server")
        .containsKeys(Labels.INVOCATION, Labels.VERSION, Labels.API_PORT, Labels.BIND);
    assertThat(server.getArgs()).contains("--disable-agent");
  }

  private static InspectContainerResponse inspect(String name) {
    List<String> ids = DockerState.containers(name).stream().map(c -> c.getId()).toList();
    assertThat(ids).hasSize(1);
    return DockerState.DOCKER.inspectContainerCmd(ids.get(0)).exec();
  }

  // It inherits the stand-in's flavour label: left behind, a plain `up` might pick it.
  private static void removeUnlabelledImage() {
    DockerState.DOCKER.removeImageCmd(UNLABELLED).withForce(true).exec();
  }

  private void buildUnlabelledImage() throws IOException {
    Path context = Files.createDirectories(dir.resolve("unlabelled"));
    Files.writeString(
        context.resolve("Dockerfile"),
        "FROM " + SharedK3s.image() + "\nLABEL " + Labels.IMAGE_PRIVILEGE + "=\"\"\n");
    DockerState.DOCKER
        .buildImageCmd(context.toFile())
        .withTags(Set.of(UNLABELLED))
        .start()
        .awaitImageId();
    assertThat(DockerState.DOCKER.inspectImageCmd(UNLABELLED).exec().getConfig().getLabels())
        .containsEntry(Labels.IMAGE_PRIVILEGE, "");
  }
}
