package dev.k3sbox.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallCommandTest {
  @TempDir Path dir;

  @Test
  void shouldRejectAMissingChartWithUsageExitCode() {
    // Given
    Path missing = dir.resolve("nope.tgz");

    // When
    CliRun run = CliRun.of("install", missing.toString());

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: chart "
                + missing
                + " not found; pass a chart directory (with Chart.yaml) or a packaged .tgz\n");
  }

  @Test
  void shouldRejectASetStringWithoutEqualsSign() throws Exception {
    // When
    CliRun run = CliRun.of("install", CliRun.chart(dir).toString(), "--set-string", "a");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: Invalid value for option '--set-string' (KEY=VALUE): --set-string 'a' is not"
                + " KEY=VALUE; write it like --set-string image.tag=1.2.3\n"
                + "Run 'k3sbox install --help' for usage.\n");
  }

  @Test
  void shouldRejectAMissingValuesFile() throws Exception {
    // Given
    Path values = dir.resolve("missing-values.yaml");

    // When
    CliRun run = CliRun.of("install", CliRun.chart(dir).toString(), "-f", values.toString());

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("error: values file " + values + " not found; check the -f/--values path\n");
  }

  @Test
  void shouldRejectABadTimeout() throws Exception {
    // When
    CliRun run = CliRun.of("install", CliRun.chart(dir).toString(), "--timeout", "soon");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: Invalid value for option '--timeout'");
  }

  @Test
  void shouldRejectAMissingKubeconfigFile() throws Exception {
    // Given
    Path kubeconfig = dir.resolve("none.yaml");

    // When
    CliRun run =
        CliRun.of(
            "install", CliRun.chart(dir).toString(), "--kubeconfig", kubeconfig.toString(), "-q");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("error: kubeconfig " + kubeconfig + " not found; check the --kubeconfig path\n");
  }
}
