package dev.k3sbox.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The lifecycle commands' surface: help, usage errors and exit codes, JSON shape. */
class LifecycleCommandsTest {

  @Test
  void shouldListEveryCommandAndTheExitCodesInRootHelp() {
    CliRun r = CliRun.of("--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains(
            "up",
            "down",
            "status",
            "kubeconfig",
            "logs",
            "validate",
            "install",
            "uninstall",
            "doctor",
            "image",
            "version",
            "completion")
        .contains("Exit codes:")
        .contains("6   the API port is taken by another process");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"up", "down", "status", "kubeconfig", "logs", "image", "version", "completion"})
  void shouldPrintHelpForEachCommand(String command) {
    CliRun r = CliRun.of(command, "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Usage: k3sbox " + command);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "up --name Dev|error: cluster name 'Dev' is not valid: use 1-32 lower-case letters, digits and '-', starting and ending with a letter or digit (e.g. dev-1)",
        "up --name abcdefghijklmnopqrstuvwxyz0123456|error: cluster name 'abcdefghijklmnopqrstuvwxyz0123456' is not valid: use 1-32 lower-case letters, digits and '-', starting and ending with a letter or digit (e.g. dev-1)",
        "up --api-port 70000|error: --api-port 70000 is not a port; use 1-65535 (default 6443)",
        "up --bind example.org|error: --bind 'example.org' is not an IP address; use e.g. 127.0.0.1 or 0.0.0.0",
        "up --k3s-arg --bind-address=0.0.0.0|error: --k3s-arg --bind-address=0.0.0.0: k3sbox sets --bind-address itself; use --bind instead",
        "up --k3s-arg --https-listen-port=7443|error: --k3s-arg --https-listen-port=7443: k3sbox sets --https-listen-port itself; use --api-port instead",
        "up --api-port 65535|error: --api-port 65535 leaves no port for k3s's kube-apiserver (the API port + 1); use 1-65534 (default 6443)",
        "up --kubernetes-version 1.19|error: k3sbox cannot build a server for Kubernetes 1.19; pick one of (served here: [1.34, 1.35, 1.36, 1.37], newest patch unless one is given)",
        "up --image k3sbox/k3s:x --kubernetes-version 1.37|error: --image and --kubernetes-version cannot be used together; pass one (an image brings its own version)",
        "image build --from-binary /bin/true --kubernetes-version 1.37|error: --kubernetes-version builds the stand-in; it cannot go with --from-binary or --k3s-version (those bring their own version)",
        "up --bind ::1|error: --bind ::1: IPv6 addresses are not supported yet; use 127.0.0.1 (default) or an IPv4 address such as 0.0.0.0",
        "down --name under_score|error: cluster name 'under_score' is not valid: use 1-32 lower-case letters, digits and '-', starting and ending with a letter or digit (e.g. dev-1)",
        "status --name x-|error: cluster name 'x-' is not valid: use 1-32 lower-case letters, digits and '-', starting and ending with a letter or digit (e.g. dev-1)",
        "down --all --name a|error: --all and --name cannot be used together; pass --name NAME for one cluster, or --all for every cluster of this state dir",
        "down --name a --all|error: --all and --name cannot be used together; pass --name NAME for one cluster, or --all for every cluster of this state dir",
        "down --any-state-dir|error: --any-state-dir only widens --all; pass --all --any-state-dir",
      })
  void shouldRejectBadValuesWithOneLineAndExitCode2(String args, String expected) {
    CliRun r = CliRun.of(args.split(" "));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo(expected);
    assertThat(r.out()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "up --timeout 5x|Invalid value for option '--timeout': '5x' is not a duration; write it like 90s, 2m or 1m30s",
        "up --timeout 0s|Invalid value for option '--timeout': '0s' is zero; give a positive duration like 90s",
        "up --timeout 3000000h|Invalid value for option '--timeout': '3000000h' is longer than a day; give a duration like 3m or 10m",
        "up --timeout 99999999999999999999s|Invalid value for option '--timeout': '99999999999999999999s' is longer than a day; give a duration like 3m or 10m",
        "version --bogus|Unknown option: '--bogus'",
        "up --privileged sometimes|Invalid value for option '--privileged': expected one of [AUTO, ALWAYS, NEVER] (case-insensitive) but was 'sometimes'",
        "up --network nat|Invalid value for option '--network': expected one of [HOST, BRIDGE] (case-insensitive) but was 'nat'",
        "up --api-port abc|Invalid value for option '--api-port': 'abc' is not an int",
        "up --bogus|Unknown option: '--bogus'",
        "frobnicate|Unmatched argument at index 0: 'frobnicate'",
        "completion fish|Invalid value for positional parameter at index 0 (SHELL): expected one of [bash, zsh] (case-insensitive) but was 'fish'",
      })
  void shouldRejectBadFlagsWithUsageErrorAndExitCode2(String args, String expected) {
    CliRun r = CliRun.of(args.split(" "));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: " + expected);
    assertThat(r.err()).contains("--help' for usage.").doesNotContain("\tat ");
  }

  @Test
  void shouldPrintStatusJsonWithTheDocumentedFields() throws Exception {
    CliRun r = CliRun.of("status", "--name", "cli-test-never-made", "--json");

    // Not running: exit 9, so that a script can ask "is it up?"; the JSON is printed all the same
    assertThat(r.exitCode()).isEqualTo(9);
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.fieldNames())
        .toIterable()
        .contains(
            "name",
            "state",
            "ready",
            "server",
            "image",
            "kubernetesVersion",
            "privilegeProfile",
            "networkMode",
            "storageDriver");
    assertThat(json.get("state").asText()).isEqualTo("absent");
    assertThat(json.get("ready").asBoolean()).isFalse();
  }

  @Test
  void shouldPrintTheSameJsonForDashOJson() throws Exception {
    CliRun flag = CliRun.of("status", "--name", "cli-test-never-made", "--json");
    CliRun output = CliRun.of("status", "--name", "cli-test-never-made", "-o", "json");

    assertThat(output.exitCode()).isEqualTo(9);
    assertThat(new ObjectMapper().readTree(output.out()))
        .isEqualTo(new ObjectMapper().readTree(flag.out()));
  }

  @Test
  void shouldSayHowToMakeTheClusterWhenItsKubeconfigIsAbsent() {
    CliRun r = CliRun.of("kubeconfig", "--name", "cli-test-never-made");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err().strip())
        .isEqualTo(
            "error: no k3sbox cluster named cli-test-never-made is up; run `k3sbox up --name cli-test-never-made`");
  }

  @Test
  void shouldPrintACompletionScript() {
    CliRun r = CliRun.of("completion", "bash");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("complete -F").contains("k3sbox");
  }
}
