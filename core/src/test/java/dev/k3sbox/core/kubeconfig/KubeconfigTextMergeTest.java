package dev.k3sbox.core.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.K3sboxException;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubeconfigTextMergeTest {
  static final Kubeconfig OURS =
      new Kubeconfig("https://127.0.0.1:6443", "CA", "CERT", "KEY", null);

  // A foreign file with comments, quoting and key order kubectl would never write itself.
  static final String FOREIGN =
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
    String merged = KubeconfigTextMerge.upsert(FOREIGN, "k3sbox-default", OURS);

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
    String merged = KubeconfigTextMerge.upsert(foreign, "k3sbox-default", OURS);
    String removed = KubeconfigTextMerge.remove(merged, "k3sbox-default");

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
    String merged = KubeconfigTextMerge.upsert(big.toString(), "k3sbox-default", OURS);

    // Then
    assertThat(merged).startsWith(big.toString()).contains("current-context: k3sbox-default");
  }

  @Test
  void shouldReplaceRatherThanDuplicateOnSecondMerge() {
    // Given
    String once = KubeconfigTextMerge.upsert(FOREIGN, "k3sbox-default", OURS);

    // When
    String twice =
        KubeconfigTextMerge.upsert(
            once, "k3sbox-default", OURS.withServer("https://127.0.0.1:7000"));

    // Then
    assertThat(twice.split("name: k3sbox-default\n", -1)).hasSize(4);
    assertThat(Kubeconfig.parse(twice, "twice").server()).isEqualTo("https://127.0.0.1:7000");
  }

  @Test
  void shouldRestoreForeignFileExceptCurrentContextOnRemove() {
    // Given
    String merged = KubeconfigTextMerge.upsert(FOREIGN, "k3sbox-default", OURS);

    // When
    String removed = KubeconfigTextMerge.remove(merged, "k3sbox-default");

    // Then
    assertThat(removed)
        .isEqualTo(FOREIGN.replace("current-context: prod", "current-context: \"\""));
  }

  @Test
  void shouldSetCurrentContextCleanlyAfterDownThenUp() {
    // Given: down left current-context as ""
    String afterDown =
        KubeconfigTextMerge.remove(
            KubeconfigTextMerge.upsert(FOREIGN, "k3sbox-default", OURS), "k3sbox-default");

    // When
    String afterUp = KubeconfigTextMerge.upsert(afterDown, "k3sbox-default", OURS);

    // Then
    assertThat(afterUp)
        .contains("current-context: k3sbox-default\n")
        .doesNotContain("k3sbox-default \"\"");
  }

  @Test
  void shouldLeaveFileWithoutOwnEntriesUntouchedOnRemove() {
    assertThat(KubeconfigTextMerge.remove(FOREIGN, "k3sbox-other")).isSameAs(FOREIGN);
  }

  @Test
  void shouldCreateCompleteFileWhenEmpty() {
    String created = KubeconfigTextMerge.upsert("", "k3sbox-dev", OURS);

    assertThat(Kubeconfig.parse(created, "new").server()).isEqualTo("https://127.0.0.1:6443");
  }

  @Test
  void shouldFillEmptyListsAndAddMissingOnes() {
    String sparse = "apiVersion: v1\nclusters: []\ncontexts:\nkind: Config\n";

    String merged = KubeconfigTextMerge.upsert(sparse, "k3sbox-dev", OURS);

    assertThat(Kubeconfig.parse(merged, "merged").server()).isEqualTo("https://127.0.0.1:6443");
    assertThat(merged).startsWith("apiVersion: v1\nclusters:\n- cluster:");
  }

  @Test
  void shouldRefuseAFlowStyleListWithEntries() {
    String flow =
        FOREIGN.replace(
            "contexts:\n- context: {cluster: prod, user: admin}\n  name: prod\n",
            "contexts: [{name: prod, context: {cluster: prod, user: admin}}]\n");

    assertThatThrownBy(() -> KubeconfigTextMerge.upsert(flow, "k3sbox-default", OURS))
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("'contexts' in a form k3sbox does not edit (flow style)");
  }

  @Test
  void shouldLeaveABlankFileAsItIsOnRemove() {
    assertThat(KubeconfigTextMerge.remove("\n", "k3sbox-default")).isEqualTo("\n");
  }
}
