package dev.k3sbox.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StateDirTest {
  @Test
  void shouldKeepEachClustersFilesInItsOwnFolderUnderClusters() {
    // Given
    StateDir state = new StateDir(Path.of("/home/u/.k3sbox"));

    // When
    Path kubeconfig = state.kubeconfig("dev");

    // Then
    assertThat(state.clusters()).isEqualTo(Path.of("/home/u/.k3sbox/clusters"));
    assertThat(state.cluster("dev")).isEqualTo(state.clusters().resolve("dev"));
    assertThat(kubeconfig).isEqualTo(Path.of("/home/u/.k3sbox/clusters/dev/kubeconfig.yaml"));
  }
}
