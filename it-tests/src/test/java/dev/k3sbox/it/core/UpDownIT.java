package dev.k3sbox.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster lifecycle end to end: the real CLI, a real dockerd, the real server image. */
class UpDownIT {
  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @Test
  void shouldCreateUsableClusterReuseItAndRemoveEverything() throws Exception {
    // Given
    String name = "it-flow";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    String foreign =
        "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n    server: https://prod:443\n";
    k3sbox.writeKubeconfig(foreign);

    // When
    var up = k3sbox.run("up", "--name", name, "--api-port", "16443");

    // Then
    assertThat(up.exitCode()).as(up.err()).isZero();
    try (KubernetesClient client = k3sbox.client(name)) {
      assertThat(client.namespaces().list().getItems())
          .extracting(n -> n.getMetadata().getName())
          .contains("default", "kube-system");
    }
    assertThat(perms(k3sbox.state().kubeconfig(name))).isEqualTo("rw-------");
    assertThat(perms(k3sbox.kubeconfig())).isEqualTo("rw-------");
    assertThat(Files.readString(k3sbox.kubeconfig()))
        .contains("- name: prod\n  cluster:\n    server: https://prod:443\n")
        .contains("current-context: k3sbox-it-flow");
    String containerId = DockerState.containers(name).get(0).getId();
    // The image's own kubectl with the kubeconfig the server wrote, as a user would run it.
    assertThat(
            DockerState.exec(
                containerId, "kubectl", "--kubeconfig", "/etc/rancher/k3s/k3s.yaml", "get", "ns"))
        .contains("kube-system");

    // When: up again is a no-op
    var again = k3sbox.run("up", "--name", name, "--api-port", "16443");

    // Then
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(DockerState.containers(name))
        .extracting(c -> c.getId())
        .containsExactly(containerId);
    assertThat(again.err()).doesNotContain("creating container");

    // When
    var down = k3sbox.run("down", "--name", name);

    // Then
    assertThat(down.exitCode()).as(down.err()).isZero();
    assertThat(DockerState.containers(name)).isEmpty();
    assertThat(DockerState.volumes(name)).isEmpty();
    assertThat(Files.readString(k3sbox.kubeconfig()))
        .startsWith(foreign)
        .doesNotContain("k3sbox-it-flow\n");
    assertThat(k3sbox.state().cluster(name)).doesNotExist();
    assertThat(k3sbox.run("down", "--name", name).exitCode()).as("down is idempotent").isZero();
  }

  @Test
  void shouldKeepObjectsAcrossStopAndRecreateRemovedContainer() throws Exception {
    // Given
    String name = "it-repair";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    String id = k3sbox.freshCluster(name, 16445);
    k3sbox.createSurvivor(name);

    // When: stopped behind k3sbox's back
    DockerState.DOCKER.stopContainerCmd(id).exec();
    var status = k3sbox.run("status", "--name", name, "--json");
    var up = k3sbox.run("up", "--name", name, "--api-port", "16445");

    // Then
    assertThat(status.out()).contains("\"state\" : \"stopped\"");
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(k3sbox.survivor(name)).isEqualTo("v");

    // When: removed behind its back (the data volume survives)
    DockerState.DOCKER.removeContainerCmd(id).withForce(true).exec();
    var absent = k3sbox.run("status", "--name", name, "--json");
    var again = k3sbox.run("up", "--name", name, "--api-port", "16445");

    // Then
    assertThat(absent.out()).contains("\"state\" : \"absent\"");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(k3sbox.survivor(name)).isEqualTo("v");
    assertThat(k3sbox.run("down", "--name", name).exitCode()).isZero();
    assertThat(DockerState.volumes(name)).isEmpty();
  }

  @Test
  void shouldGiveOneClusterToConcurrentUps() throws Exception {
    // Given
    String name = "it-race";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);

    // When
    List<ChildJvm> ups = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ups.add(
          k3sbox.start("up", "--name", name, "--api-port", "16447", "--image", SharedK3s.image()));
    }
    List<Integer> codes = new ArrayList<>();
    for (ChildJvm up : ups) {
      codes.add(up.await(Duration.ofMinutes(5)).exitCode());
    }

    // Then
    assertThat(codes).containsOnly(0);
    assertThat(DockerState.containers(name)).hasSize(1);
    assertThat(k3sbox.run("down", "--name", name).exitCode()).isZero();
  }

  @Test
  void shouldRecoverWhenUpIsKilledMidway() throws Exception {
    // Given: an up killed with SIGKILL once its container exists, before it is ready
    String name = "it-kill";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    ChildJvm up =
        k3sbox.start("up", "--name", name, "--api-port", "16449", "--image", SharedK3s.image());
    up.awaitWhileAlive(
        "the labelled container of " + name,
        Duration.ofMinutes(1),
        () -> !DockerState.containers(name).isEmpty());
    up.kill();

    // When
    var again = k3sbox.run("up", "--name", name, "--api-port", "16449");
    var down = k3sbox.run("down", "--name", name);

    // Then
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(down.exitCode()).isZero();
    assertThat(DockerState.containers(name)).isEmpty();
    assertThat(DockerState.volumes(name)).isEmpty();
  }

  @Test
  void shouldRefuseBusyPortWithOneLineAndCreateNothing() throws Exception {
    String name = "it-busy";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 16451));

      var up =
          k3sbox.run("up", "--name", name, "--api-port", "16451", "--image", SharedK3s.image());

      assertThat(up.exitCode()).isEqualTo(6);
      assertThat(up.errorLines()).hasSize(1);
      assertThat(up.errorLines().get(0)).contains("port 16451").contains("--api-port");
      assertThat(up.err()).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(DockerState.containers(name)).isEmpty();
      assertThat(DockerState.volumes(name)).isEmpty();
      assertThat(k3sbox.kubeconfig()).doesNotExist();
    }
  }

  @Test
  void shouldListenOnLoopbackOnlyAndKeepSecretsOutOfDockerInspect() throws Exception {
    String name = "it-secure";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    String id = k3sbox.freshCluster(name, 16453);
    try {
      var inspect = DockerState.DOCKER.inspectContainerCmd(id).exec();
      String exposed =
          String.join(" ", inspect.getArgs())
              + " "
              + String.join(" ", inspect.getConfig().getEnv())
              + " "
              + inspect.getConfig().getLabels();
      assertThat(exposed)
          .doesNotContainIgnoringCase("token=")
          .doesNotContain("PRIVATE KEY")
          .contains("--bind-address=127.0.0.1");
      assertThat(listeners(16453))
          .isNotEmpty()
          .allMatch(a -> a.startsWith("0100007F:"), "only 127.0.0.1 listens");
    } finally {
      assertThat(k3sbox.run("down", "--name", name).exitCode()).isZero();
    }
    assertThat(k3sbox.state().cluster(name)).doesNotExist();
  }

  /** Local addresses listening on {@code port}, as /proc/net/tcp writes them (hex ip:port). */
  private static List<String> listeners(int port) throws IOException {
    String hexPort = String.format("%04X", port);
    List<String> found = new ArrayList<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(file))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[1].endsWith(":" + hexPort) && f[3].equals("0A")) {
          found.add(f[1]);
        }
      }
    }
    return found;
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
