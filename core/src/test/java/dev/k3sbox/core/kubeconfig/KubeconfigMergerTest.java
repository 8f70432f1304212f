package dev.k3sbox.core.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.K3sboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigMergerTest {
  private static final Kubeconfig OURS = KubeconfigTextMergeTest.OURS;
  private static final String FOREIGN = KubeconfigTextMergeTest.FOREIGN;

  @Test
  void shouldRefuseUnparseableFileAndNotTouchIt(@TempDir Path dir) throws Exception {
    // Given
    Path file = dir.resolve("config");
    Files.writeString(file, "clusters: [unclosed\n");
    var merger = new KubeconfigMerger(List.of(file));

    // When / Then
    assertThatThrownBy(() -> merger.upsert("k3sbox-dev", OURS))
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("does not parse");
    assertThat(Files.readString(file)).isEqualTo("clusters: [unclosed\n");
  }

  @Test
  void shouldWriteOwnerOnlyFileAndFollowSymlink(@TempDir Path dir) throws Exception {
    // Given
    Path real = dir.resolve("real-config");
    Files.writeString(real, FOREIGN);
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r--r--"));
    Path link = Files.createSymbolicLink(dir.resolve("config"), real);

    // When
    new KubeconfigMerger(List.of(link)).upsert("k3sbox-dev", OURS);

    // Then
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).contains("k3sbox-dev");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real)))
        .isEqualTo("rw-------");
    assertThat(dir.resolve("real-config.lock")).doesNotExist();
  }

  @Test
  void shouldChooseTheFirstExistingFileOfTheChainElseTheLast(@TempDir Path dir) throws Exception {
    // Given
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    Path third = dir.resolve("third");
    var merger = new KubeconfigMerger(List.of(first, second, third));

    // When / Then
    assertThat(merger.destination()).isEqualTo(third);
    Files.writeString(second, FOREIGN);
    assertThat(merger.destination()).isEqualTo(second);
  }

  @Test
  void shouldRemoveFromEveryFileOfTheChainThatHasTheEntries(@TempDir Path dir) throws Exception {
    // Given: the entries in two files, a third file without them and a fourth missing
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path plain = Files.writeString(dir.resolve("plain"), FOREIGN);
    Path missing = dir.resolve("missing");
    new KubeconfigMerger(List.of(a)).upsert("k3sbox-dev", OURS);
    Files.writeString(b, KubeconfigTextMerge.upsert(FOREIGN, "k3sbox-dev", OURS));

    // When
    new KubeconfigMerger(List.of(a, missing, b, plain)).remove("k3sbox-dev");

    // Then
    assertThat(Files.readString(a)).doesNotContain("k3sbox-dev");
    assertThat(Files.readString(b))
        .isEqualTo(FOREIGN.replace("current-context: prod", "current-context: \"\""));
    assertThat(plain).hasContent(FOREIGN);
    assertThat(missing).doesNotExist();
  }

  @Test
  void shouldRefuseAFormItDoesNotEditBeforeWriting(@TempDir Path dir) throws Exception {
    // Given
    String flow = "apiVersion: v1\nclusters: [{name: prod, cluster: {server: https://p}}]\n";
    Path file = Files.writeString(dir.resolve("config"), flow);

    // When / Then
    assertThatThrownBy(() -> new KubeconfigMerger(List.of(file)).checkEditable("k3sbox-dev"))
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("'clusters' in a form k3sbox does not edit (flow style)");
    assertThat(file).hasContent(flow);
  }
}
