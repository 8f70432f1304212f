package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.kubeconfig.Kubeconfig;
import dev.k3sbox.it.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Ten processes merge ten clusters into one kubeconfig at once, as parallel CI jobs do
 * (kubernetes/kubernetes#23964, kind#1425): the {@code <file>.lock} serialises them.
 */
class ReliabilityKubeconfigMergeIT {
  static final String FOREIGN_CLUSTER =
      "- name: prod   # hand-written\n  cluster:\n    server: \"https://prod.example:443\"\n";
  static final String FOREIGN_CONTEXT = "- context: {cluster: prod, user: admin}\n  name: prod\n";
  static final String FOREIGN_USER = "- name: admin\n  user:\n    token: s3cr3t\n";
  static final String FOREIGN =
      "# mine\napiVersion: v1\nkind: Config\nclusters:\n"
          + FOREIGN_CLUSTER
          + "contexts:\n"
          + FOREIGN_CONTEXT
          + "current-context: prod\nusers:\n"
          + FOREIGN_USER;

  @TempDir Path dir;

  @Test
  void shouldKeepEveryContextAndForeignEntriesWhenTenProcessesMergeAtOnce() throws Exception {
    // Given
    Path file = dir.resolve("config");
    Files.writeString(file, FOREIGN);
    List<String> names = IntStream.range(0, 10).mapToObj(i -> "k3sbox-rel-merge-" + i).toList();

    // When
    List<ChildJvm> merges = new ArrayList<>();
    for (String name : names) {
      merges.add(
          ChildJvm.start(dir, Map.of(), null, MergeOnce.class.getName(), file.toString(), name));
    }

    // Then
    for (ChildJvm merge : merges) {
      var result = merge.await(Duration.ofMinutes(2));
      assertThat(result.exitCode()).as(result.err()).isZero();
    }
    String merged = Files.readString(file);
    assertThat(merged)
        .startsWith("# mine\n")
        .contains(FOREIGN_CLUSTER, FOREIGN_CONTEXT, FOREIGN_USER);
    Map<?, ?> root = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(merged);
    for (String list : List.of("clusters", "contexts", "users")) {
      assertThat((List<?>) root.get(list))
          .as(list)
          .extracting(e -> (Object) ((Map<?, ?>) e).get("name"))
          .containsAll(List.copyOf(names))
          .hasSize(names.size() + 1);
    }
    assertThat(names).contains((String) root.get("current-context"));
    assertThat(Kubeconfig.parse(merged, file.toString()).server()).startsWith("https://127.0.0.1:");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(file.resolveSibling("config.lock")).doesNotExist();
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".config.tmp-"));
    }
  }
}
