package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials stay owner-only, out of --verbose output, and leave with {@code down}. */
class ReliabilitySecurityIT {
  private static final Pattern KEY_DATA = Pattern.compile("client-key-data: (\\S+)");

  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @Test
  void shouldKeepCredentialsOwnerOnlyOutOfOutputAndGoneAfterDown() throws Exception {
    // Given: a world-readable kubeconfig of someone else's, and umask 000
    String name = "rel-sec";
    DockerState.purge(name);
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    String foreign =
        "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n"
            + "    server: https://prod:443\n";
    k3sbox.writeKubeconfig(foreign);
    Files.setPosixFilePermissions(
        k3sbox.kubeconfig(), PosixFilePermissions.fromString("rw-r--r--"));

    // When
    var up =
        k3sbox
            .start(
                Map.of(),
                "000",
                "up",
                "--verbose",
                "--name",
                name,
                "--api-port",
                "17409",
                "--image",
                SharedK3s.image())
            .await(Duration.ofMinutes(3));
    var status =
        k3sbox
            .start(Map.of(), "000", "status", "--verbose", "--name", name)
            .await(Duration.ofMinutes(1));

    // Then
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(perms(k3sbox.kubeconfig())).isEqualTo("rw-------");
    assertThat(perms(k3sbox.state().kubeconfig(name))).isEqualTo("rw-------");
    assertThat(perms(k3sbox.home())).isEqualTo("rwx------");
    String key = keyData(k3sbox.state().kubeconfig(name));
    for (var run : List.of(up, status)) {
      assertThat(run.out() + run.err())
          .doesNotContain(key)
          .doesNotContain(key.substring(0, 40))
          .doesNotContain("PRIVATE KEY")
          .doesNotContain("client-key-data")
          .doesNotContainIgnoringCase("token:");
    }

    // When
    var down = k3sbox.run("down", "--name", name);

    // Then: no copy of the key anywhere under K3SBOX_HOME or in the user's kubeconfig
    assertThat(down.exitCode()).as(down.err()).isZero();
    assertThat(k3sbox.state().cluster(name)).doesNotExist();
    assertThat(filesContaining(k3sbox.home(), key)).isEmpty();
    assertThat(filesContaining(k3sbox.home(), "PRIVATE KEY")).isEmpty();
    assertThat(Files.readString(k3sbox.kubeconfig())).startsWith(foreign).doesNotContain(key);
    assertThat(DockerState.containers(name)).isEmpty();
  }

  private static String keyData(Path kubeconfig) throws IOException {
    Matcher m = KEY_DATA.matcher(Files.readString(kubeconfig));
    assertThat(m.find()).as("client-key-data in " + kubeconfig).isTrue();
    String pem = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
    assertThat(pem).contains("PRIVATE KEY");
    return m.group(1);
  }

  private static List<Path> filesContaining(Path root, String needle) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(needle)) {
          found.add(p);
        }
      }
    }
    return found;
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
