package dev.k3sbox.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.K3sboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K3sBinaryTest {
  @Test
  void shouldRunVersionOnceForTheTagAndTheLabel(@TempDir Path dir) throws Exception {
    // Given: a k3s stand-in that counts its runs
    Path runs = dir.resolve("runs");
    K3sBinary k3s =
        new K3sBinary(
            script(dir, "echo run >> '" + runs + "'; echo 'k3s version v1.33.5+k3s1 (abcdef12)'"));

    // When: the tag and the label each ask
    String forTag = k3s.version();
    String forLabel = k3s.version();

    // Then
    assertThat(forTag).isEqualTo("v1.33.5+k3s1").isEqualTo(forLabel);
    assertThat(Files.readAllLines(runs)).hasSize(1);
  }

  @Test
  void shouldRefuseABinaryThatPrintsNoK3sVersion(@TempDir Path dir) throws Exception {
    // Given
    K3sBinary notK3s = new K3sBinary(script(dir, "echo hello"));

    // When / Then
    assertThatThrownBy(notK3s::version)
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("did not print a k3s version");
  }

  private static Path script(Path dir, String body) throws Exception {
    Path file = dir.resolve("k3s");
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
