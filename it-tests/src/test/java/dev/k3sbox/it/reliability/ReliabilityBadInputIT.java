package dev.k3sbox.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.k3sbox.core.Labels;
import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.Cli;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

  /**
   * The second round's catalogue (issue 22) and more, one case a line: what | exit code | the
   * arguments, split at spaces ({@code {empty}} is an empty argument, {@code {space}} one space;
   * the other {@code {...}} are files and ports the test makes, see {@link #resolve}).
   */
  private static final String TABLE =
      """
      api port -1 | 2 | up --name rel-bad --api-port -1
      api port 65535 leaves none for kube-apiserver | 2 | up --name rel-bad --api-port 65535
      api port 1.5 | 2 | up --name rel-bad --api-port 1.5
      api port empty | 2 | up --name rel-bad --api-port {empty}
      api port missing its value | 2 | up --name rel-bad --api-port
      timeout over a day | 2 | up --name rel-bad --api-port 17411 --timeout 3000000h
      timeout past a long | 2 | up --name rel-bad --api-port 17411 --timeout 99999999999999999999s
      timeout empty | 2 | up --name rel-bad --api-port 17411 --timeout {empty}
      timeout in days | 2 | up --name rel-bad --api-port 17411 --timeout 1d
      bind ::1 | 2 | up --name rel-bad --api-port 17411 --bind ::1
      bind empty | 2 | up --name rel-bad --api-port 17411 --bind {empty}
      bind three octets | 2 | up --name rel-bad --api-port 17411 --bind 1.2.3
      bind five octets | 2 | up --name rel-bad --api-port 17411 --bind 0.0.0.0.0
      bind an address not of this machine | 2 | up --name rel-bad --api-port 17411 --bind 192.0.2.1 --image {image}
      k3s-arg bind-address | 2 | up --name rel-bad --api-port 17411 --k3s-arg --bind-address=0.0.0.0
      k3s-arg https-listen-port | 2 | up --name rel-bad --api-port 17411 --k3s-arg --https-listen-port=7443
      k3s-arg data-dir | 2 | up --name rel-bad --api-port 17411 --k3s-arg --data-dir=/x
      k3s-arg write-kubeconfig | 2 | up --name rel-bad --api-port 17411 --k3s-arg --write-kubeconfig=/x
      privileged empty | 2 | up --name rel-bad --api-port 17411 --privileged {empty}
      network empty | 2 | up --name rel-bad --api-port 17411 --network {empty}
      name with underscore | 2 | up --name a_b --api-port 17411
      name with a dot | 2 | up --name a.b --api-port 17411
      name with a space | 2 | up --name a{space}b --api-port 17411
      name not ASCII | 2 | up --name ąb --api-port 17411
      name of 34 | 2 | up --name abcdefghijabcdefghijabcdefghij1234 --api-port 17411
      name missing its value | 2 | up --name
      blank image | 2 | up --name rel-bad --api-port 17411 --image {space}
      quiet and an unknown flag | 2 | up -q --bogus
      API port taken | 6 | up --name rel-bad --api-port {busy} --image {image}
      kube-apiserver port taken | 6 | up --name rel-bad --api-port {busy-1} --image {image}
      down all with a name | 2 | down --all --name rel-bad
      down name then all | 2 | down --name rel-bad --all
      down any-state-dir alone | 2 | down --any-state-dir
      down upper-case name | 2 | down --name Abc
      down unknown flag | 2 | down --bogus
      down extra argument | 2 | down extra
      down stop-docker and an extra argument | 2 | down --stop-docker extra
      down keep-data of a bad name | 2 | down --keep-data --name x_y
      status empty name | 2 | status --name {empty}
      status unknown flag | 2 | status --bogus
      status extra argument | 2 | status extra
      status as yaml | 2 | status -o yaml
      list as yaml | 2 | list -o yaml
      list extra argument | 2 | list extra
      ls unknown flag | 2 | ls --bogus
      kubeconfig of a bad name | 2 | kubeconfig --name BAD
      kubeconfig not text | 7 | kubeconfig --name {garbage}
      kubeconfig extra argument | 2 | kubeconfig extra
      logs of a bad name | 2 | logs --name BAD
      logs follow of no cluster | 3 | logs --follow --name nope
      image load of a file that is no image | 5 | image load /etc/hostname
      image load of a folder | 2 | image load /tmp
      image build standin and binary | 2 | image build --standin --from-binary /bin/true
      image build of no binary | 2 | image build --from-binary /nonexistent
      image unknown subcommand | 2 | image frob
      image ls extra argument | 2 | image ls extra
      doctor unknown flag | 2 | doctor --bogus
      doctor extra argument | 2 | doctor extra
      version unknown flag | 2 | version --bogus
      version extra argument | 2 | version extra
      completion for fish | 2 | completion fish
      completion of no shell | 2 | completion
      completion extra argument | 2 | completion bash extra
      validate no chart | 2 | validate
      validate as yaml | 2 | validate {chart} -o yaml
      validate parallel 0 | 2 | validate {chart} --parallel 0
      validate parallel -3 | 2 | validate {chart} --parallel -3
      validate parallel x | 2 | validate {chart} --parallel x
      validate report in a missing folder | 2 | validate {chart} --report /nonexistent/dir/r.xml
      validate report a folder | 2 | validate {chart} --report /tmp
      validate scratch maybe | 2 | validate {chart} --scratch maybe
      validate missing kubeconfig | 2 | validate {chart} --kubeconfig /nonexistent.yaml
      validate kubeconfig that is no kubeconfig | 2 | validate {chart} --kubeconfig /etc/hostname
      validate context not in the kubeconfig | 2 | validate {chart} --kubeconfig {foreign} --context typo
      validate kubeconfig a folder | 2 | validate {chart} --kubeconfig /tmp
      validate set without = | 2 | validate {chart} --set a
      validate set-string without key | 2 | validate {chart} --set-string =x
      validate values a folder | 2 | validate {chart} --values /etc
      validate kube-version banana | 2 | validate {chart} --kube-version banana --name nope
      validate a file that is no chart | 2 | validate /etc/hostname
      validate a folder with no Chart.yaml | 2 | validate {emptydir}
      validate upgrade from a missing folder | 2 | validate {chart} --upgrade-from /nonexistent/old
      validate both upgrade sources | 2 | validate {chart} --upgrade-from {chart} --upgrade-from-release r
      validate two charts upgrade | 2 | validate {chart} {chart} --upgrade-from {chart}
      validate version missing its value | 2 | validate {chart} --version
      validate repo missing its value | 2 | validate {chart} --repo
      validate bad cluster name | 2 | validate {chart} --name BAD
      validate no such cluster | 3 | validate {chart} --name nope
      validate unknown flag first | 2 | validate --bogus {chart}
      validate values missing its value | 2 | validate {chart} -f
      validate strict=maybe | 2 | validate {chart} --strict=maybe
      validate a broken template | 3 | validate {broken} --name nope
      template no chart | 2 | template
      template two charts | 2 | template {chart} {chart}
      template a missing chart | 2 | template /nonexistent
      template missing values | 2 | template {chart} --values /nonexistent.yaml --offline
      template bad set | 2 | template {chart} --set =x --offline
      template kube-version banana | 2 | template {chart} --kube-version banana --offline
      template unknown flag | 2 | template {chart} --bogus
      template a broken template | 3 | template {broken} --offline
      template values not YAML | 2 | template {chart} --offline --values {notyaml}
      install timeout 0s | 2 | install {chart} --timeout 0s
      install timeout 5x | 2 | install {chart} --timeout 5x
      install unknown flag | 2 | install {chart} --bogus
      install missing values | 2 | install {chart} --values /nonexistent.yaml
      install a missing chart | 2 | install /nonexistent
      install no such cluster | 3 | install {chart} --name nope
      install context not in the kubeconfig | 2 | install {chart} --kubeconfig {foreign} --context typo
      install create-namespace=maybe | 2 | install {chart} --create-namespace=maybe
      install namespace missing its value | 2 | install {chart} -n
      install a broken template | 3 | install {broken} --name nope
      uninstall no release | 2 | uninstall
      uninstall timeout 0s | 2 | uninstall rel --timeout 0s
      uninstall unknown flag | 2 | uninstall rel --bogus
      uninstall no such cluster | 3 | uninstall rel --name nope
      uninstall two releases | 2 | uninstall a b
      uninstall missing kubeconfig | 2 | uninstall rel --kubeconfig /nonexistent.yaml
      unknown root flag | 2 | --bogus
      unknown short flag | 2 | -Z
      """;

  static Stream<Arguments> table() {
    return TABLE
        .lines()
        .filter(l -> !l.isBlank())
        .map(
            line -> {
              String[] cols = line.split("\\|", 3);
              List<String> args =
                  Stream.of(cols[2].strip().split(" "))
                      .map(a -> a.equals("{empty}") ? "" : a.replace("{space}", " "))
                      .toList();
              return Arguments.of(cols[0].strip(), Integer.parseInt(cols[1].strip()), args);
            });
  }

  @ParameterizedTest(name = "{0} -> exit {1}")
  @MethodSource("table")
  void shouldRefuseEveryCaseOfTheCatalogueWithOneLineAndChangeNothing(
      String what, int exitCode, List<String> template) throws Exception {
    shouldRefuseWithOneLineAndChangeNothing(what, exitCode, template);
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
            resolve(a, k3sbox)
                .replace("{chart}", Cli.chart("app").toString())
                .replace("{notyaml}", notYaml.toString())
                .replace("{tlsproxy}", tlsProxy.toString()));
      }
    }
    Snapshot before = Snapshot.take(k3sbox);
    Instant started = Instant.now();

    // When
    ChildJvm.Result run;
    try (ServerSocket busy = holdBusyPort(template)) {
      run = k3sbox.start(env, null, args.toArray(String[]::new)).await(Duration.ofMinutes(2));
    }

    // Then
    assertThat(run.exitCode()).as(what + ": " + run.err()).isEqualTo(exitCode);
    assertThat(run.errorLines()).as(run.err()).hasSize(1);
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(30));
    assertThat(Snapshot.take(k3sbox)).isEqualTo(before);
  }

  private static final int BUSY = 17413;

  /** The port a {@code {busy}} case needs taken, held by this JVM for the run; else null. */
  private static ServerSocket holdBusyPort(List<String> template) throws IOException {
    if (template.stream().noneMatch(a -> a.startsWith("{busy"))) {
      return null;
    }
    ServerSocket held = new ServerSocket();
    held.bind(new InetSocketAddress("127.0.0.1", BUSY));
    return held;
  }

  /**
   * The files and ports a case names: {@code {image}} the server image, {@code {busy}} a port this
   * test holds ({@code {busy-1}}: the API port whose kube-apiserver port it is), {@code {foreign}}
   * the user's kubeconfig, {@code {garbage}} a cluster whose kubeconfig is not text, {@code
   * {broken}} a chart whose template fails, {@code {emptydir}} a folder with no chart.
   */
  private String resolve(String arg, K3sboxProcess k3sbox) throws IOException {
    switch (arg) {
      case "{image}" -> {
        return SharedK3s.image();
      }
      case "{busy}" -> {
        return Integer.toString(BUSY);
      }
      case "{busy-1}" -> {
        return Integer.toString(BUSY - 1);
      }
      case "{foreign}" -> {
        return k3sbox.kubeconfig().toString();
      }
      case "{garbage}" -> {
        Path file = k3sbox.state().kubeconfig("garbage");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 'x'});
        return "garbage";
      }
      case "{broken}" -> {
        Path chart = Files.createDirectories(dir.resolve("broken").resolve("templates"));
        Files.writeString(
            chart.resolveSibling("Chart.yaml"), "apiVersion: v2\nname: broken\nversion: 0.1.0\n");
        Files.writeString(chart.resolve("cm.yaml"), "{{ required \"x is required\" .Values.x }}\n");
        return chart.getParent().toString();
      }
      case "{emptydir}" -> {
        return Files.createDirectories(dir.resolve("empty")).toString();
      }
      default -> {
        return arg;
      }
    }
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
