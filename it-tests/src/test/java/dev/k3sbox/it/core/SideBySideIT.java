package dev.k3sbox.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.Labels;
import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clusters side by side on the host network, with the stand-in in k3s's port layout (its supervisor
 * on the API port, kube-apiserver on the port + 1, the controller manager on 10257 and the cloud
 * controller on 10258 unless switched off by k3s's own flags): what a second real k3s cluster
 * needs, proved on the image the tests can build.
 */
class SideBySideIT {
  private static final List<String> RAW = List.of("k3sbox-it-raw-1", "k3sbox-it-raw-2");

  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @Test
  void shouldRunThreeClustersSideBySideEachWithItsDefaultServiceAccount() throws Exception {
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    List<String> names = List.of("side-a", "side-b", "side-c");
    try {
      // When: three clusters, two ports apart (each also holds its port + 1)
      for (int i = 0; i < names.size(); i++) {
        k3sbox.freshCluster(names.get(i), 17531 + 2 * i);
      }

      // Then: all three ready, with the service account clients wait for
      for (String name : names) {
        assertThat(DockerState.containers(name))
            .singleElement()
            .satisfies(c -> assertThat(c.getState()).isEqualTo("running"));
        try (var client = k3sbox.client(name)) {
          Awaitility.await(name + "'s default service account")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      client.serviceAccounts().inNamespace("default").withName("default").get()
                          != null);
        }
      }
    } finally {
      for (String name : names) {
        k3sbox.run("down", "--name", name);
      }
    }
  }

  @Test
  void shouldKeepK3sPortLayoutSoThatK3sDefaultsCannotRunTwice() throws Exception {
    // Given: the server image run as `k3s server` with k3s's defaults (none of k3sbox's flags)
    try {
      docker(
          "run",
          "-d",
          "--name",
          RAW.get(0),
          "--network",
          "host",
          SharedK3s.image(),
          "server",
          "--https-listen-port=17541");
      Awaitility.await("the controller manager's and cloud controller's fixed ports taken")
          .atMost(Duration.ofSeconds(60))
          .until(() -> busy(10257) && busy(10258) && busy(17542));

      // When: a second one on another API port
      docker(
          "run",
          "-d",
          "--name",
          RAW.get(1),
          "--network",
          "host",
          SharedK3s.image(),
          "server",
          "--https-listen-port=17551");

      // Then: it cannot bind the fixed ports and exits, as a second real k3s would
      Awaitility.await("the second server's exit")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  !DockerState.DOCKER
                      .inspectContainerCmd(RAW.get(1))
                      .exec()
                      .getState()
                      .getRunning());
      assertThat(
              DockerState.DOCKER
                  .inspectContainerCmd(RAW.get(1))
                  .exec()
                  .getState()
                  .getExitCodeLong())
          .isNotZero();
      assertThat(docker("logs", RAW.get(1))).contains("address already in use");
    } finally {
      for (String raw : RAW) {
        docker("rm", "-f", "-v", raw); // -v: the image declares a VOLUME
      }
    }
  }

  @Test
  void shouldReportABusyKubeApiserverPortBeforeCreatingAnything() throws Exception {
    // Given: the port k3s's kube-apiserver would take (the API port + 1) held by another process
    String name = "side-busy";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    try (ServerSocket held = new ServerSocket()) {
      held.bind(new InetSocketAddress("127.0.0.1", 17562));

      // When
      ChildJvm.Result up =
          k3sbox.run("up", "--name", name, "--api-port", "17561", "--image", SharedK3s.image());

      // Then: exit 6, naming that port and what needs it, and nothing made
      assertThat(up.exitCode()).as(up.err()).isEqualTo(6);
      assertThat(up.err().strip().lines())
          .last()
          .asString()
          .contains("port 17562 on 127.0.0.1 is in use")
          .contains("kube-apiserver")
          .contains("--api-port 17563");
      assertThat(DockerState.containers(name)).isEmpty();
      assertThat(DockerState.volumes(name)).isEmpty();
    }
  }

  @Test
  void shouldRefuseAKeptVolumeOfAnotherServerKind() throws Exception {
    // Given: a cluster's data kept from the stand-in, and an image of another kind (k3s adopts
    // whatever datastore it finds, the stand-in's etcd included)
    String name = "side-kind";
    String k3sKind = "k3sbox-it/k3s-kind:1";
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    k3sbox.freshCluster(name, 17571);
    assertThat(DockerState.volumes(name))
        .singleElement()
        .satisfies(v -> assertThat(v.getLabels()).containsEntry(Labels.SERVER_KIND, "standin"));
    assertThat(k3sbox.run("down", "--name", name, "--keep-data").exitCode()).isZero();
    buildImage(k3sbox.home().resolveSibling("k3s-kind"), k3sKind, Labels.IMAGE_FLAVOR + "=k3s");
    try {
      // When
      ChildJvm.Result up =
          k3sbox.run("up", "--name", name, "--api-port", "17571", "--image", k3sKind);

      // Then: refused, one line with the way out, the data still there
      assertThat(up.exitCode()).as(up.err()).isEqualTo(2);
      assertThat(up.err().strip().lines())
          .last()
          .asString()
          .contains("was made by a stand-in server")
          .contains("k3sbox down --name " + name);
      assertThat(DockerState.containers(name)).isEmpty();
      assertThat(DockerState.volumes(name)).hasSize(1);
      // ... and the stand-in takes its volume back
      ChildJvm.Result again =
          k3sbox.run("up", "--name", name, "--api-port", "17571", "--image", SharedK3s.image());
      assertThat(again.exitCode()).as(again.err()).isZero();
    } finally {
      k3sbox.run("down", "--name", name);
      DockerState.DOCKER.removeImageCmd(k3sKind).withForce(true).exec();
    }
  }

  private static boolean busy(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static void buildImage(Path context, String tag, String label) throws IOException {
    Files.createDirectories(context);
    Files.writeString(
        context.resolve("Dockerfile"), "FROM " + SharedK3s.image() + "\nLABEL " + label + "\n");
    DockerState.DOCKER.buildImageCmd(context.toFile()).withTags(Set.of(tag)).start().awaitImageId();
  }

  /** The docker CLI, for what reads best as a command line; returns its output. */
  private static String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }
}
