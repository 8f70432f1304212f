package dev.k3sbox.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir Path dir;

  @Test
  void shouldRejectAMissingChartWithUsageExitCode() {
    // Given
    Path missing = dir.resolve("nope");

    // When
    CliRun run = CliRun.of("validate", missing.toString());

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: chart "
                + missing
                + " not found; pass a chart directory (with Chart.yaml) or a packaged .tgz\n");
  }

  @Test
  void shouldRefuseAnUnwritableReportBeforeAnyWork() throws Exception {
    // Given: a report in a folder that does not exist, and a cluster that would take time
    Path chart = CliRun.chart(dir);
    Path report = dir.resolve("no-such-folder/report.xml");

    // When
    CliRun run =
        CliRun.of(
            "validate",
            chart.toString(),
            "--kubeconfig",
            CliRun.unreachableKubeconfig(dir).toString(),
            "-o",
            "junit",
            "--report",
            report.toString());

    // Then: the report's problem, not the cluster's
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: cannot write report "
                + report
                + " (its folder is missing or not writable, or it is not a writable file);"
                + " pick a writable --report\n");
  }

  @Test
  void shouldRejectASetWithoutEqualsSign() throws Exception {
    // Given
    Path chart = CliRun.chart(dir);

    // When
    CliRun run = CliRun.of("validate", chart.toString(), "--set", "image.tag");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: Invalid value for option '--set' (KEY=VALUE): --set 'image.tag' is not"
                + " KEY=VALUE; write it like --set image.tag=1.2.3\n"
                + "Run 'k3sbox validate --help' for usage.\n");
  }

  @Test
  void shouldNameTheLineOfAValuesFileThatIsNotYaml() throws Exception {
    // Given
    Path chart = CliRun.chart(dir);
    Path values = Files.writeString(dir.resolve("values.yaml"), "image: [1, 2\ntag: x\n");

    // When
    CliRun run = CliRun.of("validate", chart.toString(), "-f", values.toString(), "-q");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: values file "
                + values.toAbsolutePath()
                + " is not valid YAML (yaml: line 1: did not find expected ',' or ']');"
                + " fix the file or drop it from -f\n");
  }

  @Test
  void shouldRejectAnUnknownFlag() throws Exception {
    // When
    CliRun run = CliRun.of("validate", CliRun.chart(dir).toString(), "--bogus");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("error: Unknown option: '--bogus'\nRun 'k3sbox validate --help' for usage.\n");
  }

  @Test
  void shouldRejectAnUnknownOutputFormat() throws Exception {
    // When
    CliRun run = CliRun.of("validate", CliRun.chart(dir).toString(), "-o", "yaml");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: Invalid value for option '--output': expected one of [text, json, junit, sarif]"
                + " (case-insensitive) but was 'yaml'\n"
                + "Run 'k3sbox validate --help' for usage.\n");
  }

  @Test
  void shouldReportATemplateErrorWithFileAndLine() throws Exception {
    // Given
    Path chart = CliRun.chart(dir);
    Files.writeString(chart.resolve("templates/broken.yaml"), "a: {{ .Values.x.y }}\n");

    // When
    CliRun run = CliRun.of("validate", chart.toString());

    // Then
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err())
        .contains("error: chart " + chart + " could not be rendered: template:")
        .contains("demo/templates/broken.yaml:1:");
  }

  @Test
  void shouldSayHowToStartAMissingK3sboxCluster() throws Exception {
    // Given
    String name = "absent-" + UUID.randomUUID().toString().substring(0, 8);

    // When
    CliRun run = CliRun.of("validate", CliRun.chart(dir).toString(), "--name", name, "-q");

    // Then
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err())
        .isEqualTo(
            "error: no k3sbox cluster named "
                + name
                + " is up; run `k3sbox up --name "
                + name
                + "` or pass --kubeconfig\n");
  }

  @Test
  void shouldNotBlameAChartForHelmsOfflineVersionWhenTheClusterIsMissing() throws Exception {
    // Given: a chart for Kubernetes 1.25 and later (as grafana's), and no such cluster
    Path chart = CliRun.chart(dir);
    Files.writeString(
        chart.resolve("Chart.yaml"),
        Files.readString(chart.resolve("Chart.yaml")) + "kubeVersion: \">=1.25.0-0\"\n");
    String name = "absent-" + UUID.randomUUID().toString().substring(0, 8);

    // When
    CliRun run = CliRun.of("validate", chart.toString(), "--name", name, "-q");

    // Then: the missing cluster, not "incompatible with Kubernetes v1.20.0; fix the chart" (the
    // render meant only to report the chart's own mistakes is for the version `up` would run)
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err())
        .isEqualTo(
            "error: no k3sbox cluster named "
                + name
                + " is up; run `k3sbox up --name "
                + name
                + "` or pass --kubeconfig\n");
  }

  @Test
  void shouldReportAnUnreachableClusterInOneLine() throws Exception {
    // Given
    Path kubeconfig = CliRun.unreachableKubeconfig(dir);

    // When
    CliRun run =
        CliRun.of(
            "validate", CliRun.chart(dir).toString(), "--kubeconfig", kubeconfig.toString(), "-q");

    // Then
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err())
        .startsWith("error: cannot reach the cluster at https://127.0.0.1:1/ from " + kubeconfig)
        .endsWith("; start it (k3sbox up) or pick another --kubeconfig/--context\n")
        .hasLineCount(1);
  }

  @Test
  void shouldRejectAParallelismBelowOne() throws Exception {
    // When
    CliRun run = CliRun.of("validate", CliRun.chart(dir).toString(), "--parallel", "0");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("error: --parallel 0 is not positive; pass 1 or more\n");
  }

  @Test
  void shouldRefuseAMatrixItCannotRun() throws Exception {
    // Given
    Path chart = CliRun.chart(dir);
    String kubeconfig = CliRun.unreachableKubeconfig(dir).toString();
    Path tgz = Files.writeString(dir.resolve("chart.tgz"), "not really");

    // When / Then: each refused before any cluster is asked, in one line, exit 2
    assertRefused(
        "error: k3sbox cannot build a server for Kubernetes 1.20; pick one of (served here:"
            + " [1.34, 1.35, 1.36, 1.37], newest patch unless one is given)\n",
        "validate",
        chart.toString(),
        "--kube-versions",
        "1.35,1.20");
    assertRefused(
        "error: --kube-versions runs k3sbox clusters of each version; it cannot go with"
            + " --kubeconfig (validate on that cluster with --values-set alone)\n",
        "validate",
        chart.toString(),
        "--kube-versions",
        "1.37",
        "--kubeconfig",
        kubeconfig);
    assertRefused(
        "error: --kube-versions, --values-set and --ci-values check one chart; pass one CHART"
            + " (got 2)\n",
        "validate",
        chart.toString(),
        chart.toString(),
        "--ci-values");
    assertRefused(
        "error: values set "
            + dir.resolve("nope.yaml")
            + " not found; check the --values-set"
            + " path\n",
        "validate",
        chart.toString(),
        "--values-set",
        dir.resolve("nope.yaml").toString());
    assertRefused(
        "error: --ci-values reads ci/*-values.yaml of a chart folder; "
            + tgz
            + " is not a"
            + " folder\n",
        "validate",
        tgz.toString(),
        "--ci-values");
    assertRefused(
        "error: --kube-versions names v1.35.1 and v1.35.4: one server runs each minor; pick one"
            + " patch of 1.35\n",
        "validate",
        chart.toString(),
        "--kube-versions",
        "1.35,v1.35.1");
    assertRefused(
        "error: --kube-version and --kube-versions cannot be used together: with --kube-versions"
            + " each version's server gives its own\n",
        "validate",
        chart.toString(),
        "--kube-versions",
        "1.37",
        "--kube-version",
        "v1.30.0");
  }

  private static void assertRefused(String message, String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(message);
  }
}
