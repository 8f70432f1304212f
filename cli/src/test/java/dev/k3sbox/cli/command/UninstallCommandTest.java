package dev.k3sbox.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UninstallCommandTest {
  @TempDir Path dir;

  @Test
  void shouldRequireARelease() {
    // When
    CliRun run = CliRun.of("uninstall");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: Missing required parameter: 'RELEASE'\n"
                + "Run 'k3sbox uninstall --help' for usage.\n");
  }

  @Test
  void shouldRejectAnUnknownFlag() {
    // When
    CliRun run = CliRun.of("uninstall", "demo", "--purge");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("error: Unknown option: '--purge'\nRun 'k3sbox uninstall --help' for usage.\n");
  }

  @Test
  void shouldReportAnUnreachableClusterWithExitCode3() throws Exception {
    // Given
    Path kubeconfig = CliRun.unreachableKubeconfig(dir);

    // When
    CliRun run = CliRun.of("uninstall", "demo", "--kubeconfig", kubeconfig.toString(), "-q");

    // Then
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).startsWith("error: cannot reach the cluster at https://127.0.0.1:1/");
  }
}
