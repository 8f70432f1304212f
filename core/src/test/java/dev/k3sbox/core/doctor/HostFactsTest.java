package dev.k3sbox.core.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.docker.Capabilities;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {
  private static final List<String> GVISOR_MOUNTS =
      List.of(
          "none / 9p rw,trans=fd,rfdno=4,wfdno=4 0 0",
          "none /proc proc rw 0 0",
          "none /tmp tmpfs rw 0 0",
          "/dev/vdb /var/lib/docker\\040data ext4 rw 0 0");

  @Test
  void shouldFindTheRootMountFor9pSandboxes() {
    HostFacts.Mount mount = HostFacts.mountOf(Path.of("/var/lib/docker"), GVISOR_MOUNTS).get();

    assertThat(mount.type()).isEqualTo("9p");
    assertThat(mount.mountPoint()).isEqualTo("/");
    assertThat(HostFacts.overlayImpossibleOn(mount.type())).isTrue();
  }

  @Test
  void shouldPreferTheLongestMountPointAndUnescapeSpaces() {
    Optional<HostFacts.Mount> mount =
        HostFacts.mountOf(Path.of("/var/lib/docker data/vfs"), GVISOR_MOUNTS);

    assertThat(mount).get().extracting(HostFacts.Mount::type).isEqualTo("ext4");
    assertThat(mount.get().mountPoint()).isEqualTo("/var/lib/docker data");
  }

  @Test
  void shouldNotTakeASiblingWithACommonPrefixForTheMount() {
    Optional<HostFacts.Mount> mount = HostFacts.mountOf(Path.of("/tmpfoo"), GVISOR_MOUNTS);

    assertThat(mount).get().extracting(HostFacts.Mount::mountPoint).isEqualTo("/");
  }

  @Test
  void shouldTellCgroupV2FromHybridV1(@TempDir Path dir) throws Exception {
    Path v2 = Files.createDirectories(dir.resolve("v2"));
    Files.createFile(v2.resolve("cgroup.controllers"));
    Path hybrid = Files.createDirectories(dir.resolve("hybrid/unified"));
    Files.createFile(hybrid.resolve("cgroup.controllers"));

    assertThat(HostFacts.cgroup(v2).detail()).startsWith("v2");
    assertThat(HostFacts.cgroup(dir.resolve("hybrid")).detail()).startsWith("v1 (hybrid");
    assertThat(HostFacts.cgroup(dir.resolve("absent")).status()).isEqualTo(CheckStatus.WARN);
  }

  @Test
  void shouldFailBelowOneGibAndWarnBelowFive() {
    Path root = Path.of("/var/lib/docker");

    assertThat(HostFacts.freeDisk(root, HostFacts.GIB / 2).status()).isEqualTo(CheckStatus.FAIL);
    assertThat(HostFacts.freeDisk(root, 2 * HostFacts.GIB).status()).isEqualTo(CheckStatus.WARN);
    assertThat(HostFacts.freeDisk(root, 50 * HostFacts.GIB).detail())
        .isEqualTo("50.0 GiB free under /var/lib/docker");
  }

  @Test
  void shouldListMissingCapabilitiesInTheBoundingSetCheck() {
    Check check = HostFacts.boundingSet(Optional.of(Capabilities.fromHex("000001fffeffffff", 40)));

    assertThat(check.status()).isEqualTo(CheckStatus.WARN);
    assertThat(check.detail()).startsWith("40 of 41; missing sys_resource");
  }

  @Test
  void shouldCallTheApiPortFreeWhenOnlyClosedConnectionsHoldIt() throws Exception {
    // Given: a server that served one connection, closed it first (TIME_WAIT on its port), and
    // stopped, as a cluster just removed by `down` leaves its port
    int port;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(0, 1, loopback);
        Socket client = new Socket(loopback, server.getLocalPort())) {
      port = server.getLocalPort();
      server.accept().close();
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }

    // When
    Check check = HostFacts.apiPort(port);

    // Then: `up` could bind it, so doctor must not warn
    assertThat(check.status()).isEqualTo(CheckStatus.OK);
  }

  @Test
  void shouldWarnWhileSomethingListensOnTheApiPort() throws Exception {
    // Given
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // When
      Check check = HostFacts.apiPort(server.getLocalPort());

      // Then
      assertThat(check.status()).isEqualTo(CheckStatus.WARN);
      assertThat(check.detail()).contains("is in use");
    }
  }
}
