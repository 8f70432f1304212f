package dev.k3sbox.core.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigMergerSafetyTest {
  private static final String FOREIGN_USER = "- name: admin\n  user:\n    token: s3cr3t\n";
  private static final String FOREIGN =
      "apiVersion: v1\nkind: Config\nclusters:\n- name: prod # mine\n  cluster:\n"
          + "    server: https://prod:443\ncontexts: []\ncurrent-context: prod\nusers:\n"
          + FOREIGN_USER;

  @TempDir Path dir;

  @Test
  void shouldKeepAllTenContextsWhenTenThreadsMergeIntoOneFile() throws Exception {
    // Given
    Path file = Files.writeString(dir.resolve("config"), FOREIGN);
    KubeconfigMerger merger = new KubeconfigMerger(List.of(file));
    List<String> names = IntStream.range(0, 10).mapToObj(i -> "k3sbox-t" + i).toList();

    // When
    ExecutorService pool = Executors.newFixedThreadPool(names.size());
    try {
      List<Future<Path>> done = new ArrayList<>();
      for (String name : names) {
        done.add(
            pool.submit(
                () ->
                    merger.upsert(
                        name, new Kubeconfig("https://127.0.0.1:6443", "CA", "C", "K", null))));
      }
      for (Future<Path> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    // Then
    String merged = Files.readString(file);
    assertThat(merged).contains("- name: prod # mine\n", FOREIGN_USER);
    for (String name : names) {
      assertThat(merged.split("name: " + name + "\n", -1)).as(name).hasSize(4);
    }
    assertThat(Kubeconfig.parse(merged, "merged").server()).isEqualTo("https://127.0.0.1:6443");
    assertThat(dir.resolve("config.lock")).doesNotExist();
  }

  @Test
  void shouldRefuseUnparseableKubeconfigBeforeAnythingIsCreatedAndLeaveItAlone() throws Exception {
    // Given
    String broken = "apiVersion: v1\nclusters: [\n  - oops: {\n";
    Path file = Files.writeString(dir.resolve("config"), broken);

    // When / Then
    assertThatThrownBy(() -> new KubeconfigMerger(List.of(file)).checkEditable("k3sbox-x"))
        .isInstanceOfSatisfying(
            K3sboxException.class, e -> assertThat(e.failure()).isEqualTo(Failure.KUBECONFIG))
        .hasMessageContaining("does not parse");
    assertThat(Files.readString(file)).isEqualTo(broken);
    assertThat(dir.resolve("config.lock")).doesNotExist();
  }

  @Test
  void shouldAcceptMissingOrEditableKubeconfigWithoutWriting() throws Exception {
    // Given
    Path missing = dir.resolve("missing").resolve("config");
    Path editable = Files.writeString(dir.resolve("config"), FOREIGN);

    // When
    new KubeconfigMerger(List.of(missing)).checkEditable("k3sbox-x");
    new KubeconfigMerger(List.of(editable)).checkEditable("k3sbox-x");

    // Then
    assertThat(missing.getParent()).doesNotExist();
    assertThat(Files.readString(editable)).isEqualTo(FOREIGN);
  }
}
