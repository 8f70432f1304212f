package dev.k3sbox.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.cli.K3sbox;
import dev.k3sbox.core.docker.DockerDaemon;
import dev.k3sbox.core.state.StateDir;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DoctorCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path home;

  private CommandLine cli() {
    CommandLine cli = K3sbox.newCommandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    // Nothing answers here, and --fix cannot start a daemon at a DOCKER_HOST it does not own.
    DoctorCommand doctor = cli.getSubcommands().get("doctor").getCommand();
    doctor.daemons =
        progress ->
            new DockerDaemon(
                new StateDir(home), "unix://" + home.resolve("no-docker.sock"), progress);
    return cli;
  }

  @Test
  void shouldDescribeItsFlagsInHelp() {
    int code = cli().execute("doctor", "--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("--json", "--fix", "--image=IMAGE", "--quiet");
  }

  @Test
  void shouldBeListedInTheRootHelp() {
    cli().execute("--help");

    assertThat(out.toString()).contains("doctor");
  }

  @Test
  void shouldRejectAnUnknownFlagWithUsageExitCode() {
    int code = cli().execute("doctor", "--privileged");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("Unknown option: '--privileged'")
        .contains("Run 'k3sbox doctor --help' for usage.");
  }

  @Test
  void shouldRequireAValueForImage() {
    int code = cli().execute("doctor", "--image");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter for option '--image'");
  }

  @Test
  void shouldPrintOnlyJsonOnStdoutAndExit3WithoutADaemon() throws Exception {
    int code = cli().execute("doctor", "--json", "--quiet");

    assertThat(code).isEqualTo(3);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("checks", "recommendation", "canRunUp", "blockingReason");
    assertThat(json.get("canRunUp").asBoolean()).isFalse();
    JsonNode daemon = json.get("checks").get(0);
    assertThat(daemon.get("name").asText()).isEqualTo("docker daemon");
    assertThat(daemon.get("status").asText()).isEqualTo("fail");
    assertThat(daemon.get("detail").asText()).contains("k3sbox doctor --fix");
    assertThat(json.get("recommendation").fieldNames())
        .toIterable()
        .containsExactly("privilegeProfile", "networkMode", "image", "reasons");
    assertThat(err.toString().lines())
        .containsExactly(
            "error: no Docker daemon answers at unix://"
                + home.resolve("no-docker.sock")
                + "; run `k3sbox doctor --fix` to start one");
  }

  @Test
  void shouldPrintTheTableAndTheReasonWithoutADaemon() {
    int code = cli().execute("doctor", "--quiet");

    assertThat(code).isEqualTo(3);
    assertThat(out.toString())
        .contains("CHECK", "DETAIL")
        .containsPattern("✗ docker daemon +no Docker daemon answers")
        .contains("port 6443", "cgroup version", "k3sbox up will use:");
  }

  @Test
  void shouldReportWhyFixCannotStartADaemonAtAForeignAddress() {
    int code = cli().execute("doctor", "--fix", "--quiet");

    assertThat(code).isEqualTo(3);
    assertThat(err.toString()).contains("error: no Docker daemon answers at DOCKER_HOST=");
  }
}
