package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.Labels;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code down} destroys only what it was pointed at exactly: {@code --all} with {@code --name} is
 * refused, and {@code --all} removes the clusters of its own state dir, not those another user or
 * CI job made on the same daemon.
 */
class DownScopeIT {
  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  @Test
  void shouldRemoveOnlyTheClustersOfItsOwnStateDirAndRefuseAllWithName() throws Exception {
    // Given: two clusters on one daemon, made from two state dirs
    K3sboxProcess mine = new K3sboxProcess(dir.resolve("mine"));
    K3sboxProcess theirs = new K3sboxProcess(dir.resolve("theirs"));
    mine.freshCluster("scope-mine", 17415);
    theirs.freshCluster("scope-theirs", 17417);
    assertThat(DockerState.containers("scope-mine").get(0).getLabels())
        .containsEntry(Labels.STATE_DIR, mine.home().toString());

    // When: --all and --name together
    var both = mine.run("down", "--all", "--name", "scope-mine");

    // Then: a usage error, and both clusters untouched
    assertThat(both.exitCode()).as(both.err()).isEqualTo(2);
    assertThat(both.err().strip().lines()).singleElement().asString().startsWith("error: --all");
    assertThat(DockerState.containers("scope-mine")).hasSize(1);
    assertThat(DockerState.containers("scope-theirs")).hasSize(1);

    // When: --all from my state dir
    var all = mine.run("down", "--all");

    // Then: mine is gone, theirs still runs with its state
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.err()).contains("removed scope-mine").doesNotContain("scope-theirs");
    assertThat(DockerState.containers("scope-mine")).isEmpty();
    assertThat(DockerState.volumes("scope-mine")).isEmpty();
    assertThat(DockerState.containers("scope-theirs")).hasSize(1);
    assertThat(DockerState.volumes("scope-theirs")).hasSize(1);
    assertThat(Files.isDirectory(theirs.state().cluster("scope-theirs"))).isTrue();

    assertThat(theirs.run("down", "--name", "scope-theirs").exitCode()).isZero();
    assertThat(DockerState.containers("scope-theirs")).isEmpty();
  }
}
