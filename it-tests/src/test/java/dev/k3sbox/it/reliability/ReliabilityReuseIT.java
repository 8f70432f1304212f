package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.k3sbox.core.Labels;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code up} that finds a cluster another invocation made reuses it, and never rolls it back,
 * even when it fails itself (k3d once deleted the existing cluster here, k3d-io/k3d#42).
 */
class ReliabilityReuseIT {
  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @Test
  void shouldReuseClusterOfAnotherInvocationAndNeverDeleteIt() throws Exception {
    // Given: a cluster made by one invocation, holding an object
    String name = "rel-reuse";
    K3sboxProcess first = new K3sboxProcess(dir.resolve("first"));
    first.freshCluster(name, 17405);
    first.createSurvivor(name);
    Container before = DockerState.containers(name).get(0);
    // Another invocation, with no state of its own, finds it by label only; stopped behind
    // k3sbox's back, so that invocation must start it, and a 1s timeout makes it fail.
    DockerState.DOCKER.stopContainerCmd(before.getId()).exec();
    // A server that stops within docker stop's grace period exits 0; one killed at its end, 137
    // (the stand-in did, while its controller manager ran inside the server's own process).
    assertThat(
            DockerState.DOCKER
                .inspectContainerCmd(before.getId())
                .exec()
                .getState()
                .getExitCodeLong())
        .isZero();
    K3sboxProcess second = new K3sboxProcess(dir.resolve("second"));

    // When
    var failed =
        second.run("up", "--name", name, "--api-port", "17405", "--timeout", "1s", "--no-merge");

    // Then: it failed, and what it did not create is still there
    assertThat(failed.exitCode()).as(failed.err()).isEqualTo(8);
    assertThat(failed.err()).doesNotContain("rolling back");
    assertThat(DockerState.containers(name))
        .singleElement()
        .satisfies(c -> assertThat(c.getId()).isEqualTo(before.getId()))
        .satisfies(
            c ->
                assertThat(c.getLabels().get(Labels.INVOCATION))
                    .isEqualTo(before.getLabels().get(Labels.INVOCATION)));
    assertThat(DockerState.volumes(name)).hasSize(1);

    // When: the other invocation tries again with time to spare
    var reused = second.run("up", "--name", name, "--api-port", "17405", "--no-merge");

    // Then: the same container, with the object made before
    assertThat(reused.exitCode()).as(reused.err()).isZero();
    assertThat(reused.err()).doesNotContain("creating container");
    assertThat(DockerState.containers(name))
        .extracting(Container::getId)
        .containsExactly(before.getId());
    assertThat(second.survivor(name)).isEqualTo("v");
    assertThat(first.run("down", "--name", name).exitCode()).isZero();
    assertThat(DockerState.containers(name)).isEmpty();
    assertThat(DockerState.volumes(name)).isEmpty();
  }
}
