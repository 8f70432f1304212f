package dev.k3sbox.it.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chart references as Helm takes them, fetched from real servers on 127.0.0.1 ({@code
 * src/test/go/chartservers}: a chart repository whose index Helm's own code writes, and
 * go-containerregistry's OCI registry holding charts pushed with Helm's registry client).
 */
class ChartSourcesIT {
  @TempDir static Path dir;
  private static Process servers;
  private static String repo;
  private static String oci;
  private static K3sboxProcess k3sbox;
  private static Map<String, String> env;

  @BeforeAll
  static void servers() throws Exception {
    Path packages = dir.resolve("packages");
    Files.createDirectories(packages);
    packageChart(packages, "child", "0.1.0");
    packageChart(packages, "child", "0.2.0");
    Path tool = build();
    servers = new ProcessBuilder(tool.toString(), packages.toString()).start();
    String line = new BufferedReader(new InputStreamReader(servers.getInputStream())).readLine();
    assertThat(line).as("chartservers' addresses").isNotNull();
    JsonNode addresses = new ObjectMapper().readTree(line);
    repo = addresses.get("repo").asText();
    oci = addresses.get("oci").asText();

    // A home of the test's own: Helm's repository config and caches live under it.
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve(".config/helm"));
    Files.createDirectories(home.resolve(".cache/helm/repository"));
    env = Map.of("HOME", home.toString());
    k3sbox = new K3sboxProcess(dir.resolve("k3sbox"));
    // What `helm repo add local URL` leaves: the repository named, its index in the cache.
    Files.writeString(
        home.resolve(".config/helm/repositories.yaml"),
        "apiVersion: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\nrepositories:\n- name: local\n  url: "
            + repo
            + "\n");
    try (var index = URI.create(repo + "index.yaml").toURL().openStream()) {
      Files.write(home.resolve(".cache/helm/repository/local-index.yaml"), index.readAllBytes());
    }
  }

  @AfterAll
  static void stop() {
    if (servers != null) {
      servers.destroy();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"repo-flag", "repo-name", "url", "oci"})
  void shouldRenderAChartFetchedFromEachKindOfSource(String kind) {
    // When
    ChildJvm.Result run = run(args(reference(kind), "template", "--offline"));

    // Then: the version asked for, from that source
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("name: child-0.1.0");
  }

  @Test
  void shouldValidateAnOciChartAgainstTheCluster() {
    // When
    ChildJvm.Result run =
        run(
            args(
                List.of("oci://" + oci + "/charts/child", "--version", "0.1.0", "--plain-http"),
                "validate",
                "--kubeconfig",
                SharedK3s.kubeconfig().toString()));

    // Then
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("✓ ConfigMap/default/child-0.1.0");
  }

  @Test
  void shouldFetchMissingDependenciesOutsideTheUsersChartFolder() throws Exception {
    // Given: a chart whose dependencies, one from each server, are not in charts/
    Path parent = dir.resolve("parent");
    Files.createDirectories(parent.resolve("templates"));
    Files.writeString(
        parent.resolve("Chart.yaml"),
        "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n"
            + "  - name: child\n    version: 0.1.0\n    repository: "
            + repo
            + "\n");
    Path viaOci = dir.resolve("via-oci");
    Files.createDirectories(viaOci.resolve("templates"));
    Files.writeString(
        viaOci.resolve("Chart.yaml"),
        "apiVersion: v2\nname: via-oci\nversion: 0.1.0\ndependencies:\n"
            + "  - name: child\n    version: 0.2.0\n    repository: oci://"
            + oci
            + "/charts\n");

    // When
    ChildJvm.Result fromRepo = run(args(List.of(parent.toString()), "template", "--offline"));
    ChildJvm.Result fromOci =
        run(args(List.of(viaOci.toString(), "--plain-http"), "template", "--offline"));

    // Then: rendered with them, said where they went, and the user's folders untouched
    assertThat(fromRepo.exitCode()).as(fromRepo.err()).isZero();
    assertThat(fromRepo.out()).contains("name: child-0.1.0");
    assertThat(fromRepo.err()).contains(k3sbox.home().resolve("cache/charts").toString());
    assertThat(fromOci.exitCode()).as(fromOci.err()).isZero();
    assertThat(fromOci.out()).contains("name: child-0.2.0");
    assertThat(list(parent)).containsExactlyInAnyOrder("Chart.yaml", "templates");
    assertThat(list(viaOci)).containsExactlyInAnyOrder("Chart.yaml", "templates");
  }

  @Test
  void shouldFindARelativeFileDependencyFromTheChartsOwnFolder() throws Exception {
    // Given: an umbrella chart with a sibling subchart by `file://../`, as `helm dependency
    // build` resolves it from the chart's folder (k3sbox builds in a copy under its cache), and
    // a Chart.lock as that command writes it
    Path umbrella = dir.resolve("mono").resolve("umbrella");
    Path sibling = dir.resolve("mono").resolve("sibling");
    Files.createDirectories(umbrella.resolve("templates"));
    Files.createDirectories(sibling.resolve("templates"));
    Files.writeString(
        sibling.resolve("Chart.yaml"), "apiVersion: v2\nname: sibling\nversion: 0.3.0\n");
    Files.writeString(
        sibling.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sibling-{{ .Chart.Version }}\n");
    Files.writeString(
        umbrella.resolve("Chart.yaml"),
        "apiVersion: v2\nname: umbrella\nversion: 0.1.0\ndependencies:\n"
            + "  - name: sibling\n    version: 0.3.0\n    repository: file://../sibling\n");
    Files.writeString(
        umbrella.resolve("Chart.lock"),
        "dependencies:\n- name: sibling\n  repository: file://../sibling\n  version: 0.3.0\n"
            + "digest: sha256:0000\ngenerated: \"2026-12-01T00:00:00Z\"\n");

    // When
    ChildJvm.Result run = run(args(List.of(umbrella.toString()), "template", "--offline"));

    // Then
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("name: sibling-0.3.0");
    assertThat(list(umbrella)).containsExactlyInAnyOrder("Chart.yaml", "Chart.lock", "templates");
  }

  @Test
  void shouldRefuseAVersionThatDoesNotExistInOneLine() {
    // When
    ChildJvm.Result run =
        run(args(List.of("child", "--repo", repo, "--version", "9.9.9"), "template"));

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errorLines()).singleElement().asString().contains("9.9.9").contains(repo);
  }

  private static List<String> reference(String kind) {
    return switch (kind) {
      case "repo-flag" -> List.of("child", "--repo", repo, "--version", "0.1.0");
      case "repo-name" -> List.of("local/child", "--version", "0.1.0");
      case "url" -> List.of(repo + "child-0.1.0.tgz");
      case "oci" -> List.of("oci://" + oci + "/charts/child", "--version", "0.1.0", "--plain-http");
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static String[] args(List<String> chart, String command, String... more) {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.addAll(chart);
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** Runs k3sbox with the test's own HOME, so Helm's config and caches are the test's. */
  private static ChildJvm.Result run(String... args) {
    return k3sbox.start(env, null, args).await(Duration.ofMinutes(5));
  }

  private static List<String> list(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  private static void packageChart(Path packages, String name, String version) throws Exception {
    Path src = dir.resolve("src-" + version).resolve(name);
    Files.createDirectories(src.resolve("templates"));
    Files.writeString(
        src.resolve("Chart.yaml"),
        "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
    Files.writeString(
        src.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}-{{ .Chart.Version }}\n");
    Process tar =
        new ProcessBuilder(
                "tar",
                "-czf",
                packages.resolve(name + "-" + version + ".tgz").toString(),
                "-C",
                src.getParent().toString(),
                name)
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
  }

  /** Builds src/test/go/chartservers with Go (the module cache makes it quick after once). */
  private static Path build() throws Exception {
    Path source = Path.of("src/test/go/chartservers").toAbsolutePath();
    Path binary = Path.of("target/chartservers").toAbsolutePath();
    String go = Files.isExecutable(Path.of("/usr/local/go/bin/go")) ? "/usr/local/go/bin/go" : "go";
    Process build =
        new ProcessBuilder(go, "build", "-o", binary.toString(), ".")
            .directory(source.toFile())
            .redirectErrorStream(true)
            .start();
    String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(build.waitFor()).as("go build chartservers: " + log).isZero();
    return binary;
  }
}
