package dev.k3sbox.core.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigFileTest {
  @TempDir Path dir;

  @Test
  void shouldCreateAMissingFileOwnerOnlyEvenWhenTheEditLeavesItEmpty() throws Exception {
    // Given
    Path file = dir.resolve("kube").resolve("config");

    // When
    KubeconfigFile.edit(file, text -> text);

    // Then
    assertThat(file).hasContent("");
    assertThat(permissions(file)).isEqualTo("rw-------");
    assertThat(dir.resolve("kube").resolve("config.lock")).doesNotExist();
  }

  @Test
  void shouldNotRewriteAFileTheEditLeavesAsItWas() throws Exception {
    // Given: permissions an atomic write would tighten
    Path file = Files.writeString(dir.resolve("config"), "kind: Config\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    // When
    KubeconfigFile.edit(file, text -> text);

    // Then
    assertThat(permissions(file)).isEqualTo("rw-r--r--");
  }

  @Test
  void shouldReplaceTheFileWithTheEditedTextOwnerOnly() throws Exception {
    // Given
    Path file = Files.writeString(dir.resolve("config"), "kind: Config\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    // When
    KubeconfigFile.edit(file, text -> text + "current-context: x\n");

    // Then
    assertThat(file).hasContent("kind: Config\ncurrent-context: x\n");
    assertThat(permissions(file)).isEqualTo("rw-------");
  }

  @Test
  void shouldLeaveTheFileAsItWasWhenTheEditRefuses() throws Exception {
    // Given
    Path file = Files.writeString(dir.resolve("config"), "kind: Config\n");
    K3sboxException refusal = new K3sboxException(Failure.KUBECONFIG, "refused");

    // When / Then: a refusal passes as it is
    assertThatThrownBy(
            () ->
                KubeconfigFile.edit(
                    file,
                    text -> {
                      throw refusal;
                    }))
        .isSameAs(refusal);
    assertThat(file).hasContent("kind: Config\n");
    assertThat(dir.resolve("config.lock")).doesNotExist();
  }

  @Test
  void shouldReportAnyOtherFailureAsAKubeconfigError() throws Exception {
    // Given: a directory where the file should be
    Path file = Files.createDirectory(dir.resolve("config"));

    // When / Then
    assertThatThrownBy(() -> KubeconfigFile.edit(file, text -> text))
        .isInstanceOfSatisfying(
            K3sboxException.class, e -> assertThat(e.failure()).isEqualTo(Failure.KUBECONFIG))
        .hasMessageStartingWith("cannot update kubeconfig " + file + ": ")
        .hasMessageEndingWith("; pass --no-merge to skip it");
  }

  @Test
  void shouldFollowASymlinkAndMakeAMissingPathAbsolute() throws Exception {
    // Given
    Path real = Files.writeString(dir.resolve("real-config"), "");
    Path link = Files.createSymbolicLink(dir.resolve("config"), real);

    // Then
    assertThat(KubeconfigFile.resolve(link)).isEqualTo(real.toRealPath());
    assertThat(KubeconfigFile.resolve(Path.of("no-such-config")))
        .isEqualTo(Path.of("no-such-config").toAbsolutePath());
  }

  private static String permissions(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
