package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.k3sbox.core.Labels;
import dev.k3sbox.it.support.Cli;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to every command: one {@code error:} line, the documented exit code, no stack trace,
 * and nothing created or changed in Docker, the kubeconfig or the state folder.
 */
class ReliabilityBadInputIT {
  private static final String NAME = "rel-bad";
  private static final String PORT = "17411";
  private static final String FOREIGN =
      "apiVersion: v1\nkind: Config\nclusters:\n- name: prod # keep\n  cluster:\n"
          + "    server: https://prod:443\ncurrent-context: prod\n";
  private static final String UNPARSEABLE = "apiVersion: v1\nclusters: [\n  - oops: {\n";

  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
  }

  static Stream<Arguments> cases() {
    String image = SharedK3s.image();
    return Stream.of(
        bad("upper-case name", 2, "up", "--name", "Abc", "--api-port", PORT),
        bad("name over 32", 2, "up", "--name", "a".repeat(33), "--api-port", PORT),
        bad("name with leading -", 2, "up", "--name", "-x", "--api-port", PORT),
        bad("name with trailing -", 2, "up", "--name", "x-", "--api-port", PORT),
        bad("empty name", 2, "up", "--name", "", "--api-port", PORT),
        bad("port 0", 2, "up", "--name", NAME, "--api-port", "0"),
        bad("port 70000", 2, "up", "--name", NAME, "--api-port", "70000"),
        bad("port abc", 2, "up", "--name", NAME, "--api-port", "abc"),
        bad("timeout 0s", 2, "up", "--name", NAME, "--api-port", PORT, "--timeout", "0s"),
        bad("timeout 5x", 2, "up", "--name", NAME, "--api-port", PORT, "--timeout", "5x"),
        bad("timeout -5s", 2, "up", "--name", NAME, "--api-port", PORT, "--timeout", "-5s"),
        bad("bind a host name", 2, "up", "--name", NAME, "--api-port", PORT, "--bind", "local"),
        bad("bind 999.1.1.1", 2, "up", "--name", NAME, "--api-port", PORT, "--bind", "999.1.1.1"),
        bad("unknown flag", 2, "up", "--name", NAME, "--api-port", PORT, "--bogus"),
        bad("extra argument", 2, "up", "--name", NAME, "--api-port", PORT, "extra"),
        bad("privileged sometimes", 2, "up", "--name", NAME, "--privileged=sometimes"),
        bad("network nat", 2, "up", "--name", NAME, "--api-port", PORT, "--network", "nat"),
        bad("empty image", 2, "up", "--name", NAME, "--api-port", PORT, "--image", ""),
        bad(
            "image not here, not pullable",
            5,
            "up",
            "--name",
            NAME,
            "--api-port",
            PORT,
            "--image",
            "k3sbox/does-not-exist:v0"),
        bad(
            "unparseable kubeconfig",
            7,
            "up",
            "--name",
            NAME,
            "--api-port",
            PORT,
            "--image",
            image,
            "{unparseable}"),
        bad(
            "read-only K3SBOX_HOME",
            2,
            "up",
            "--name",
            NAME,
            "--api-port",
            PORT,
            "--image",
            image,
            "{home=/proc/k3sbox}"),
        bad("unknown command", 2, "frobnicate"),
        bad("status of a bad name", 2, "status", "--name", "BAD"),
        bad("down of a bad name", 2, "down", "--name", "BAD"),
        bad("kubeconfig of no cluster", 3, "kubeconfig", "--name", "nope"),
        bad("logs of no cluster", 3, "logs", "--name", "nope"),
        bad("logs tail abc", 2, "logs", "--name", NAME, "--tail", "abc"),
        bad("image load of no file", 2, "image", "load", "/nonexistent"),
        bad(
            "image build from a non-k3s file",
            2,
            "image",
            "build",
            "--from-binary",
            "/etc/hostname"),
        bad("validate a missing chart", 2, "validate", "/nonexistent/chart"),
        bad("validate values not YAML", 2, "validate", "{chart}", "--values", "{notyaml}"),
        bad("validate missing values", 2, "validate", "{chart}", "--values", "/nonexistent.yaml"),
        bad("validate bad --set", 2, "validate", "{chart}", "--set", "=x"),
        bad(
            "validate through an https proxy-url",
            2,
            "validate",
            "{chart}",
            "--kubeconfig",
            "{tlsproxy}"),
        bad("install with no chart", 2, "install"));
  }

  private static Arguments bad(String what, int exitCode, String... args) {
    return Arguments.of(what, exitCode, List.of(args));
  }

  @ParameterizedTest(name = "{0} -> exit {1}")
  @MethodSource("cases")
  void shouldRefuseWithOneLineAndChangeNothing(String what, int exitCode, List<String> template)
      throws Exception {
    // Given
    K3sboxProcess k3sbox = new K3sboxProcess(dir);
    k3sbox.writeKubeconfig(template.contains("{unparseable}") ? UNPARSEABLE : FOREIGN);
    Path notYaml = Files.writeString(dir.resolve("values.yaml"), "a: [\n  b: {\n");
    Path tlsProxy =
        Files.writeString(
            dir.resolve("tls-proxy.yaml"),
            """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:1", proxy-url: "https://127.0.0.1:2"}
            contexts: [{name: c, context: {cluster: c, user: u}}]
            current-context: c
            users: [{name: u, user: {token: t}}]
            """);
    List<String> args = new ArrayList<>();
    Map<String, String> env = new java.util.HashMap<>();
    for (String a : template) {
      if (a.startsWith("{home=")) {
        env.put("K3SBOX_HOME", a.substring(6, a.length() - 1));
      } else if (!a.equals("{unparseable}")) {
        args.add(
            a.replace("{chart}", Cli.chart("app").toString())
                .replace("{notyaml}", notYaml.toString())
                .replace("{tlsproxy}", tlsProxy.toString()));
      }
    }
    Snapshot before = Snapshot.take(k3sbox);
    Instant started = Instant.now();

    // When
    var run = k3sbox.start(env, null, args.toArray(String[]::new)).await(Duration.ofMinutes(2));

    // Then
    assertThat(run.exitCode()).as(what + ": " + run.err()).isEqualTo(exitCode);
    assertThat(run.errorLines()).as(run.err()).hasSize(1);
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(30));
    assertThat(Snapshot.take(k3sbox)).isEqualTo(before);
  }

  /** What a refused command must leave as it was. */
  private record Snapshot(List<String> docker, String kubeconfig, List<String> clusterFiles) {
    static Snapshot take(K3sboxProcess k3sbox) throws IOException {
      List<String> docker = new ArrayList<>();
      for (String name : List.of(NAME, "nope", "default")) {
        for (Container c : DockerState.containers(name)) {
          docker.add(c.getId() + " " + c.getState() + " " + c.getLabels().get(Labels.INVOCATION));
        }
        DockerState.volumes(name).forEach(v -> docker.add(v.getName()));
      }
      Path clusters = k3sbox.state().clusters();
      List<String> files = new ArrayList<>();
      if (Files.exists(clusters)) {
        try (Stream<Path> walk = Files.walk(clusters)) {
          walk.map(Path::toString).sorted().forEach(files::add);
        }
      }
      return new Snapshot(docker, Arrays.toString(Files.readAllBytes(k3sbox.kubeconfig())), files);
    }
  }
}
