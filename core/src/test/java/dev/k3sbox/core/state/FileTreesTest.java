package dev.k3sbox.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @Test
  void shouldDeleteAFolderWithEverythingInIt(@TempDir Path dir) throws Exception {
    // Given
    Path tree = dir.resolve("cluster");
    Files.createDirectories(tree.resolve("a/b"));
    Files.writeString(tree.resolve("a/b/kubeconfig.yaml"), "x");
    Files.writeString(tree.resolve("state.properties"), "y");

    // When
    FileTrees.delete(tree);

    // Then
    assertThat(tree).doesNotExist();
    assertThat(dir).exists();
  }

  @Test
  void shouldDeleteALinkInsideAndNotWhatItPointsTo(@TempDir Path dir) throws Exception {
    // Given: a link in the tree to a folder outside it
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path kept = Files.writeString(outside.resolve("precious"), "keep me");
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.createSymbolicLink(tree.resolve("link"), outside);

    // When
    FileTrees.delete(tree);

    // Then
    assertThat(tree).doesNotExist();
    assertThat(kept).hasContent("keep me");
  }

  @Test
  void shouldDoNothingForAFolderThatIsNotThere(@TempDir Path dir) {
    assertThatCode(() -> FileTrees.delete(dir.resolve("missing"))).doesNotThrowAnyException();
  }
}
