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
  private static final Kubeconfig OURS =
      new Kubeconfig("https://127.0.0.1:6443", "CA", "CERT", "KEY", null);

  // A foreign file with comments, quoting and key order kubectl would never write itself.
  private static final String FOREIGN =
      """
      # my clusters — do not touch
      apiVersion: v1
      clusters:
        - name: prod   # inline comment
          cluster:
            server: "https://prod.example:443"
        - cluster: {server: 'https://stage:6443'}
          name: stage
      contexts:
      - context: {cluster: prod, user: admin}
        name: prod
      current-context: prod
      kind: Config
      users:
      - name: admin
        user:
          token: s3cr3t
      """;

  @Test
  void shouldAddOwnEntriesAndKeepForeignOnesByteForByte() {
    // When
    String merged = KubeconfigMerger.upsertText(FOREIGN, "k3sbox-default", OURS);

    // Then
    for (String foreignLines :
        List.of(
            "  - name: prod   # inline comment\n    cluster:\n      server: \"https://prod.example:443\"\n",
            "  - cluster: {server: 'https://stage:6443'}\n    name: stage\n",
            "- context: {cluster: prod, user: admin}\n  name: prod\n",
            "- name: admin\n  user:\n    token: s3cr3t\n",
            "# my clusters — do not touch\n")) {
      assertThat(merged).contains(foreignLines);
    }
    assertThat(merged).contains("current-context: k3sbox-default\n");
    assertThat(Kubeconfig.parse(merged, "merged").server()).isEqualTo("https://127.0.0.1:6443");
  }

  @Test
  void shouldEditAtTheRightPlacesPastCharactersOutsideTheBmp() {
    // Given: code points of two UTF-16 units before and between the entries (the parser counts
    // code points, Java strings count units)
    String emoji = "# \uD83D\uDE80 clusters \uD83D\uDC33\n";
    String foreign = emoji + FOREIGN.replace("name: stage", "name: stage # \uD83C\uDF0D");

    // When
    String merged = KubeconfigMerger.upsertText(foreign, "k3sbox-default", OURS);
    String removed = KubeconfigMerger.removeText(merged, "k3sbox-default");

    // Then: the foreign text is kept byte for byte, around the entries added and removed
    assertThat(merged).startsWith(emoji).contains("name: stage # \uD83C\uDF0D");
    assertThat(removed)
        .isEqualTo(foreign.replace("current-context: prod", "current-context: \"\""));
  }

  @Test
  void shouldMergeIntoAFileLargerThanTheYamlParsersDefaultLimit() {
    // Given: 4 MiB of contexts (the parser refused files over 3 MiB)
    StringBuilder big = new StringBuilder("apiVersion: v1\nkind: Config\ncontexts:\n");
    for (int i = 0; big.length() < 4 * 1024 * 1024; i++) {
      big.append("- name: ctx-").append(i).append("\n  context: {cluster: c, user: u}\n");
    }

    // When
    String merged = KubeconfigMerger.upsertText(big.toString(), "k3sbox-default", OURS);

    // Then
    assertThat(merged).startsWith(big.toString()).contains("current-context: k3sbox-default");
  }

  @Test
  void shouldReplaceRatherThanDuplicateOnSecondMerge() {
    // Given
    String once = KubeconfigMerger.upsertText(FOREIGN, "k3sbox-default", OURS);

    // When
    String twice =
        KubeconfigMerger.upsertText(
            once, "k3sbox-default", OURS.withServer("https://127.0.0.1:7000"));

    // Then
    assertThat(twice.split("name: k3sbox-default\n", -1)).hasSize(4);
    assertThat(Kubeconfig.parse(twice, "twice").server()).isEqualTo("https://127.0.0.1:7000");
  }

  @Test
  void shouldRestoreForeignFileExceptCurrentContextOnRemove() {
    // Given
    String merged = KubeconfigMerger.upsertText(FOREIGN, "k3sbox-default", OURS);

    // When
    String removed = KubeconfigMerger.removeText(merged, "k3sbox-default");

    // Then
    assertThat(removed)
        .isEqualTo(FOREIGN.replace("current-context: prod", "current-context: \"\""));
  }

  @Test
  void shouldSetCurrentContextCleanlyAfterDownThenUp() {
    // Given: down left current-context as ""
    String afterDown =
        KubeconfigMerger.removeText(
            KubeconfigMerger.upsertText(FOREIGN, "k3sbox-default", OURS), "k3sbox-default");

    // When
    String afterUp = KubeconfigMerger.upsertText(afterDown, "k3sbox-default", OURS);

    // Then
    assertThat(afterUp)
        .contains("current-context: k3sbox-default\n")
        .doesNotContain("k3sbox-default \"\"");
  }

  @Test
  void shouldLeaveFileWithoutOwnEntriesUntouchedOnRemove() {
    assertThat(KubeconfigMerger.removeText(FOREIGN, "k3sbox-other")).isSameAs(FOREIGN);
  }

  @Test
  void shouldCreateCompleteFileWhenEmpty() {
    String created = KubeconfigMerger.upsertText("", "k3sbox-dev", OURS);

    assertThat(Kubeconfig.parse(created, "new").server()).isEqualTo("https://127.0.0.1:6443");
  }

  @Test
  void shouldFillEmptyListsAndAddMissingOnes() {
    String sparse = "apiVersion: v1\nclusters: []\ncontexts:\nkind: Config\n";

    String merged = KubeconfigMerger.upsertText(sparse, "k3sbox-dev", OURS);

    assertThat(Kubeconfig.parse(merged, "merged").server()).isEqualTo("https://127.0.0.1:6443");
    assertThat(merged).startsWith("apiVersion: v1\nclusters:\n- cluster:");
  }

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
}
