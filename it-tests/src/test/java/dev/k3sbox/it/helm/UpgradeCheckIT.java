package dev.k3sbox.it.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.Corpus;
import dev.k3sbox.it.support.DockerState;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SarifSchema;
import dev.k3sbox.it.support.SharedK3s;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate NEW --upgrade-from OLD}: the old release installed on a throwaway server, the new
 * one applied over it, each object's fate reported in the server's words; the server gone
 * afterwards, also after Ctrl-C. Each class of upgrade failure users meet only in production is one
 * object of one pair of charts here.
 */
class UpgradeCheckIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static K3sboxProcess k3sbox;

  @BeforeAll
  static void image() {
    SharedK3s.requireImage(SharedK3s.image());
    k3sbox = new K3sboxProcess(dir.resolve("k3sbox"));
  }

  @Test
  void shouldRejectEachUpgradeTheServerRefusesInItsOwnWords() throws Exception {
    // Given: v1, and v2 changing what the server does not let an update change
    Path v1 = chart("v1", objects("app", "1Gi", "10.43.200.10", "busybox:1.36", "v1alpha1"));
    Path v2 = chart("v2", objects("app-v2", "2Gi", "10.43.200.11", "busybox:1.37", "v1"));

    // When
    ChildJvm.Result run =
        k3sbox.run(
            "validate",
            v2.toString(),
            "--upgrade-from",
            v1.toString(),
            "--release",
            "demo",
            "-o",
            "json");

    // Then
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode report = JSON.readTree(run.out());
    assertThat(verdict(report, "Deployment", "web")).isEqualTo("rejected");
    assertThat(details(report, "Deployment", "web")).contains("field is immutable");
    assertThat(verdict(report, "StatefulSet", "db")).isEqualTo("rejected");
    assertThat(details(report, "StatefulSet", "db"))
        .contains("Forbidden: updates to statefulset spec");
    assertThat(verdict(report, "Service", "fixed")).isEqualTo("rejected");
    assertThat(details(report, "Service", "fixed"))
        .contains("spec.clusterIPs[0]")
        .contains("may not change once set");
    assertThat(verdict(report, "Job", "once")).isEqualTo("rejected");
    assertThat(details(report, "Job", "once"))
        .contains("spec.template")
        .contains("field is immutable");
    assertThat(verdict(report, "CustomResourceDefinition", "widgets.upgrade.k3sbox.dev"))
        .isEqualTo("rejected");
    assertThat(details(report, "CustomResourceDefinition", "widgets.upgrade.k3sbox.dev"))
        .contains("storedVersions")
        .contains("v1alpha1");
    assertThat(report.path("summary").path("upgradable").asBoolean()).isFalse();
    assertNoThrowawayLeft();
  }

  @Test
  void shouldListWhatAFineUpgradeChangesAddsAndDeletes() throws Exception {
    // Given: v2 changes one ConfigMap, drops another, adds a Secret, leaves a Service alone
    Path v1 =
        chart(
            "fine-v1",
            Map.of(
                "templates/a.yaml", configMap("settings", "level: info"),
                "templates/b.yaml", configMap("legacy", "old: kept"),
                "templates/svc.yaml", service("web", "")));
    Path v2 =
        chart(
            "fine-v2",
            Map.of(
                "templates/a.yaml", configMap("settings", "level: debug"),
                "templates/c.yaml",
                    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  t: x\n",
                "templates/svc.yaml", service("web", "")));

    // When: SARIF to a file, text on stdout
    Path sarif = dir.resolve("fine.sarif");
    ChildJvm.Result run =
        k3sbox.run(
            "validate",
            v2.toString(),
            "--upgrade-from",
            v1.toString(),
            "--release",
            "fine",
            "-o",
            "sarif",
            "--report",
            sarif.toString());

    // Then: exit 0, and each object's fate on its line
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern("changed\\s+ConfigMap/default/settings")
        .contains("data.level")
        .containsPattern("deleted\\s+ConfigMap/default/legacy")
        .containsPattern("added\\s+Secret/default/token")
        .containsPattern("unchanged\\s+Service/default/web")
        .contains("the upgrade would go through");
    // ... and the deletion as a SARIF note at the old chart's template
    String document = Files.readString(sarif);
    assertThat(SarifSchema.violations(document)).isEmpty();
    JsonNode results = JSON.readTree(document).get("runs").get(0).get("results");
    assertThat(results).hasSize(1);
    assertThat(results.get(0).get("level").asText()).isEqualTo("note");
    assertThat(results.get(0).get("message").get("text").asText())
        .isEqualTo("ConfigMap/default/legacy: the upgrade deletes it");
    assertThat(
            results
                .get(0)
                .get("locations")
                .get(0)
                .get("physicalLocation")
                .get("artifactLocation")
                .get("uri")
                .asText())
        .endsWith("fine-v1/templates/b.yaml");
    assertNoThrowawayLeft();
  }

  @Test
  void shouldFindTheSelectorChangeInACopyOfACorpusChart() throws Exception {
    // Given: metrics-server as published, and a copy whose Deployment selects one more label
    Path published = Corpus.unpack(dir.resolve("corpus")).chart("metrics-server");
    Path changed = dir.resolve("metrics-server-selector");
    Process copy = new ProcessBuilder("cp", "-r", published.toString(), changed.toString()).start();
    assertThat(copy.waitFor()).isZero();
    Path deployment = changed.resolve("templates/deployment.yaml");
    String template = Files.readString(deployment);
    String selector = "{{- include \"metrics-server.selectorLabels\" . | nindent 6 }}";
    String podLabels = "{{- include \"metrics-server.selectorLabels\" . | nindent 8 }}";
    assertThat(template).contains(selector, podLabels);
    Files.writeString(
        deployment,
        template
            .replace(selector, selector + "\n      tier: metrics")
            .replace(podLabels, podLabels + "\n        tier: metrics"));

    // When
    ChildJvm.Result run =
        k3sbox.run(
            "validate",
            changed.toString(),
            "--upgrade-from",
            published.toString(),
            "--release",
            "metrics-server",
            "-o",
            "json");

    // Then: only the Deployment refused, in the server's words; its APIService, which no pod
    // serves here, taken out of the way and said so
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode report = JSON.readTree(run.out());
    assertThat(verdict(report, "Deployment", "metrics-server")).isEqualTo("rejected");
    assertThat(details(report, "Deployment", "metrics-server")).contains("field is immutable");
    assertThat(report.path("summary").path("rejected").asInt()).isEqualTo(1);
    assertThat(report.path("notes").toString()).contains("APIService");
    assertNoThrowawayLeft();
  }

  @Test
  void shouldReportAFieldAnotherManagerTookOverAsAConflictOfTheLiveRelease() throws Exception {
    // Given: a release installed by k3sbox, one of whose fields another manager then took over
    String cluster = "upgrade-live";
    k3sbox.freshCluster(cluster, 17455);
    try {
      Path v1 = chart("live-v1", Map.of("templates/a.yaml", configMap("settings", "level: info")));
      Path v2 = chart("live-v2", Map.of("templates/a.yaml", configMap("settings", "level: debug")));
      var install = k3sbox.run("install", v1.toString(), "--name", cluster, "--release", "live");
      assertThat(install.exitCode()).as(install.err()).isZero();
      try (var client = k3sbox.client(cluster)) {
        client
            .configMaps()
            .inNamespace("default")
            .resource(
                new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("settings")
                    .endMetadata()
                    .addToData("level", "warn")
                    .build())
            .fieldManager("kubectl-edit")
            .forceConflicts()
            .serverSideApply();
      }

      // When
      ChildJvm.Result run =
          k3sbox.run(
              "validate",
              v2.toString(),
              "--name",
              cluster,
              "--upgrade-from-release",
              "live",
              "-o",
              "json");

      // Then: the conflict, in the server's words, and the live object untouched
      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      JsonNode report = JSON.readTree(run.out());
      assertThat(verdict(report, "ConfigMap", "settings")).isEqualTo("rejected");
      assertThat(details(report, "ConfigMap", "settings"))
          .contains("conflict with \\\"kubectl-edit\\\"")
          .contains(".data.level");
      try (var client = k3sbox.client(cluster)) {
        assertThat(client.configMaps().inNamespace("default").withName("settings").get().getData())
            .containsEntry("level", "warn");
      }
    } finally {
      k3sbox.run("down", "--name", cluster);
    }
  }

  @Test
  void shouldRemoveTheThrowawayServerOnCtrlC() throws Exception {
    // Given: a check under way
    Path v1 = chart("int-v1", Map.of("templates/a.yaml", configMap("a", "k: v")));
    ChildJvm check = k3sbox.start("validate", v1.toString(), "--upgrade-from", v1.toString());
    check.awaitErr("installing the old release", Duration.ofMinutes(3));
    // This state dir's spare server, which one check at a time uses (made now if there was none)
    String throwaway = "upgrade-check-spare";
    assertThat(DockerState.containers(throwaway)).isNotEmpty();

    // When
    check.interrupt();

    // Then
    ChildJvm.Result result = check.await(Duration.ofMinutes(1));
    assertThat(result.exitCode()).isEqualTo(130);
    assertThat(DockerState.containers(throwaway)).isEmpty();
    assertThat(DockerState.volumes(throwaway)).isEmpty();
  }

  @Test
  void shouldRunTheNextCheckOnTheServerTheLastOneStarted() throws Exception {
    // Given: a check, which leaves a fresh server behind for the next one
    Path v1 = chart("spare-v1", Map.of("templates/a.yaml", configMap("a", "k: v1")));
    Path v2 = chart("spare-v2", Map.of("templates/a.yaml", configMap("a", "k: v2")));
    assertThat(k3sbox.run("validate", v2.toString(), "--upgrade-from", v1.toString()).exitCode())
        .isZero();
    String spare = DockerState.containers("upgrade-check-spare").get(0).getId();

    // When: the next check, and one at the same time as it
    ChildJvm next = k3sbox.start("validate", v2.toString(), "--upgrade-from", v1.toString());
    next.awaitErr("using upgrade-check-spare", Duration.ofMinutes(2));
    ChildJvm.Result meanwhile =
        k3sbox.run("validate", v2.toString(), "--upgrade-from", v1.toString());
    ChildJvm.Result result = next.await(Duration.ofMinutes(3));

    // Then: the next check took the spare, the one beside it made a throwaway of its own (and
    // removed it), and a new spare waits for the check after
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("changed").contains("data.k");
    assertThat(meanwhile.exitCode()).as(meanwhile.err()).isZero();
    assertThat(meanwhile.err()).contains("starting a throwaway cluster upgrade-check-");
    assertThat(DockerState.containers("upgrade-check-spare"))
        .singleElement()
        .satisfies(c -> assertThat(c.getId()).isNotEqualTo(spare));
    assertNoThrowawayLeft();
  }

  @Test
  void shouldNotTakeTheServerOfAKilledCheckForAFreshOne() throws Exception {
    // Given: a check killed (SIGKILL: no hook runs) while the old release is on its server
    Path v1 = chart("killed-v1", Map.of("templates/a.yaml", configMap("a", "k: v1")));
    ChildJvm check = k3sbox.start("validate", v1.toString(), "--upgrade-from", v1.toString());
    check.awaitErr("upgrading to the new release", Duration.ofMinutes(3));
    check.kill();
    assertThat(DockerState.containers("upgrade-check-spare")).isNotEmpty();

    // When
    ChildJvm.Result next = k3sbox.run("validate", v1.toString(), "--upgrade-from", v1.toString());

    // Then: the used server was replaced, not checked on again
    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(next.err())
        .doesNotContain("using upgrade-check-spare")
        .contains("starting a throwaway cluster upgrade-check-spare");
    assertThat(next.out()).containsPattern("unchanged\\s+ConfigMap/default/a");
  }

  @Test
  void shouldGiveTheNextServerTheOldChartsCrdsFolderAndTrustItOnlyForThatChart() throws Exception {
    // Given: a check whose old chart has a crds/ CRD and a custom resource of it
    Map<String, String> v1Files =
        Map.of(
            "crds/widget.yaml", crd("widgets", "Widget", "v1"),
            // rendered only where the server serves the crds/ CRD: as Helm's install makes it
            // before rendering, on a bare server as on one given it ahead
            "templates/w.yaml",
                "{{- if .Capabilities.APIVersions.Has \"upgrade.k3sbox.dev/v1/Widget\" }}\n"
                    + "apiVersion: upgrade.k3sbox.dev/v1\nkind: Widget\nmetadata:\n  name: w\n"
                    + "{{- end }}\n",
            "templates/a.yaml", configMap("a", "k: v1"));
    Path v1 = chart("seeded-v1", v1Files);
    Map<String, String> v2Files = new LinkedHashMap<>(v1Files);
    v2Files.put("templates/a.yaml", configMap("a", "k: v2"));
    Path v2 = chart("seeded-v2", v2Files);
    ChildJvm.Result first =
        k3sbox.run("validate", v2.toString(), "--upgrade-from", v1.toString(), "-o", "json");
    assertThat(first.exitCode()).as(first.err()).isZero();

    // When: the same check again, at once (it waits for the seeding if that is still at work)
    ChildJvm.Result again =
        k3sbox.run("validate", v2.toString(), "--upgrade-from", v1.toString(), "-o", "json");

    // Then: it ran on the server made ready with the old chart's crds/ CRD, and says what the check
    // on a bare server said
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.err())
        .contains(
            "using upgrade-check-spare, started fresh after the last upgrade check with its"
                + " old chart's crds/ CRDs");
    assertThat(JSON.readTree(again.out()).path("objects"))
        .isEqualTo(JSON.readTree(first.out()).path("objects"));
    assertThat(verdict(JSON.readTree(again.out()), "ConfigMap", "a")).isEqualTo("changed");
    assertThat(verdict(JSON.readTree(first.out()), "Widget", "w")).isEqualTo("unchanged");

    // When: a check from an old chart with another crds/ folder
    Path other =
        chart(
            "seeded-other",
            Map.of(
                "crds/widget.yaml", crd("widgets", "Widget", "v1alpha1"),
                "templates/a.yaml", configMap("a", "k: v1")));
    ChildJvm.Result otherCheck =
        k3sbox.run("validate", v2.toString(), "--upgrade-from", other.toString(), "-o", "json");

    // Then: that server is not trusted for it; the check starts one afresh and finds what a bare
    // server finds: the upgrade leaves the crds/ CRD at v1alpha1 (Helm does not upgrade crds/), so
    // v2's Widget, rendered only where v1 is served, is not rendered, as `helm upgrade` would not
    assertThat(otherCheck.err())
        .contains(
            "starting upgrade-check-spare afresh: it has the crds/ CRDs of the last check's"
                + " old chart");
    assertThat(otherCheck.exitCode()).as(otherCheck.err()).isZero();
    JsonNode report = JSON.readTree(otherCheck.out());
    assertThat(details(report, "CustomResourceDefinition", "widgets.upgrade.k3sbox.dev"))
        .contains("not updated");
    assertThat(report.path("objects").toString()).doesNotContain("\"Widget\"");
    assertNoThrowawayLeft();
  }

  @Test
  void shouldNotTrustASpareWhoseSeedingWasKilledNorRemakeOneThatDownRemoved() throws Exception {
    // Given: a check that leaves its spare being given the old chart's crds/ CRD, and the process
    // doing that killed with SIGKILL
    Path v1 =
        chart(
            "killseed-v1",
            Map.of(
                "crds/widget.yaml", crd("sprockets", "Sprocket", "v1"),
                "templates/a.yaml", configMap("a", "k: v1")));
    assertThat(k3sbox.run("validate", v1.toString(), "--upgrade-from", v1.toString()).exitCode())
        .isZero();
    ProcessHandle killed = seeding().orElseThrow();
    assertThat(killed.destroyForcibly()).isTrue();
    killed.onExit().get(30, TimeUnit.SECONDS);

    // When
    ChildJvm.Result next = k3sbox.run("validate", v1.toString(), "--upgrade-from", v1.toString());

    // Then: what it may have made by then is not trusted
    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(next.err())
        .doesNotContain("using upgrade-check-spare")
        .contains("starting a throwaway cluster upgrade-check-spare");

    // When: `down --all` while the next seeding waits for its server
    ProcessHandle seeding = seeding().orElseThrow();
    assertThat(k3sbox.run("down", "--all").exitCode()).isZero();
    seeding.onExit().get(2, TimeUnit.MINUTES);

    // Then: the seeding did not make the server again
    assertThat(DockerState.containers("upgrade-check-spare")).isEmpty();
  }

  @Test
  void shouldNeitherUseNorStartASpareWhenTurnedOff() throws Exception {
    // Given: whatever spare the tests before left
    Path v1 = chart("nospare-v1", Map.of("templates/a.yaml", configMap("a", "k: v1")));
    List<String> before =
        DockerState.containers("upgrade-check-spare").stream().map(c -> c.getId()).toList();

    // When
    ChildJvm.Result run =
        k3sbox
            .start(
                Map.of("K3SBOX_UPGRADE_SPARE", "off"),
                null,
                "validate",
                v1.toString(),
                "--upgrade-from",
                v1.toString())
            .await(Duration.ofMinutes(3));

    // Then: a throwaway of its own, removed; the spare neither taken nor started
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("starting a throwaway cluster upgrade-check-")
        .doesNotContain("upgrade-check-spare");
    assertThat(DockerState.containers("upgrade-check-spare").stream().map(c -> c.getId()))
        .containsExactlyElementsOf(before);
    assertNoThrowawayLeft();
  }

  /** The process giving this state dir's spare its CRDs (SpareSeeding), while it runs. */
  private static Optional<ProcessHandle> seeding() {
    // From /proc: ProcessHandle.Info has no arguments for a command line as long as the tests'
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              try {
                String cmdline =
                    Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"));
                return cmdline.contains("dev.k3sbox.cli.command.SpareSeeding")
                    && cmdline.contains(dir.toString());
              } catch (IOException | java.io.UncheckedIOException e) {
                return false;
              }
            })
        .findFirst();
  }

  @AfterAll
  static void removeTheSpare() {
    k3sbox.run("down", "--all");
  }

  @Test
  void shouldLeaveTheCrdsFolderAloneAsHelmUpgradeDoes() throws Exception {
    // Given: v2 changes a crds/ CRD, brings a new one in crds/, and a custom resource of the new
    Path v1 = chart("crdsdir-v1", Map.of("crds/gizmo.yaml", crd("gizmos", "Gizmo", "v1")));
    Path v2 =
        chart(
            "crdsdir-v2",
            Map.of(
                "crds/gizmo.yaml", crd("gizmos", "Gizmo", "v2"),
                "crds/gadget.yaml", crd("gadgets", "Gadget", "v1"),
                "templates/gadget.yaml",
                    "apiVersion: upgrade.k3sbox.dev/v1\nkind: Gadget\nmetadata:\n  name: g\n"));

    // When
    ChildJvm.Result run =
        k3sbox.run(
            "validate",
            v2.toString(),
            "--upgrade-from",
            v1.toString(),
            "--release",
            "crdsdir",
            "-o",
            "json");

    // Then: neither CRD is touched (Helm creates crds/ on install only), each says so, and the
    // custom resource fails as `helm upgrade` would fail it
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode report = JSON.readTree(run.out());
    assertThat(verdict(report, "CustomResourceDefinition", "gizmos.upgrade.k3sbox.dev"))
        .isEqualTo("unchanged");
    assertThat(details(report, "CustomResourceDefinition", "gizmos.upgrade.k3sbox.dev"))
        .contains("not updated")
        .contains("crds/ files alone");
    assertThat(details(report, "CustomResourceDefinition", "gadgets.upgrade.k3sbox.dev"))
        .contains("not created");
    assertThat(verdict(report, "Gadget", "g")).isEqualTo("rejected");
    assertThat(details(report, "Gadget", "g")).contains("no matches for kind");
    assertNoThrowawayLeft();
  }

  private static String crd(String plural, String kind, String version) {
    return """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: %s.upgrade.k3sbox.dev}
        spec:
          group: upgrade.k3sbox.dev
          scope: Namespaced
          names: {kind: %s, plural: %s, singular: %s}
          versions:
            - name: %s
              served: true
              storage: true
              schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        """
        .formatted(plural, kind, plural, kind.toLowerCase(java.util.Locale.ROOT), version);
  }

  private static void assertNoThrowawayLeft() {
    assertThat(
            DockerState.DOCKER.listContainersCmd().withShowAll(true).exec().stream()
                .flatMap(c -> java.util.Arrays.stream(c.getNames()))
                .filter(n -> n.startsWith("/k3sbox-upgrade-check-"))
                // the next check's server, kept fresh on purpose (SpareServer)
                .filter(n -> !n.equals("/k3sbox-upgrade-check-spare")))
        .isEmpty();
  }

  private static String verdict(JsonNode report, String kind, String name) {
    return object(report, kind, name).path("verdict").asText();
  }

  private static String details(JsonNode report, String kind, String name) {
    return object(report, kind, name).path("details").toString();
  }

  private static JsonNode object(JsonNode report, String kind, String name) {
    for (JsonNode o : report.path("objects")) {
      if (o.path("kind").asText().equals(kind) && o.path("name").asText().equals(name)) {
        return o;
      }
    }
    throw new AssertionError("no " + kind + " " + name + " in " + report);
  }

  /** A Deployment, StatefulSet, Service, Job and CRD whose unchangeable parts are parameters. */
  private static Map<String, String> objects(
      String selector, String claim, String clusterIp, String jobImage, String crdVersion) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec: {containers: [{name: web, image: nginx:1.27}]}
        """
            .formatted(selector));
    files.put(
        "templates/statefulset.yaml",
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres:17}]}
          volumeClaimTemplates:
            - metadata: {name: data}
              spec:
                accessModes: [ReadWriteOnce]
                resources: {requests: {storage: %s}}
        """
            .formatted(claim));
    files.put("templates/service.yaml", service("fixed", "  clusterIP: " + clusterIp + "\n"));
    files.put(
        "templates/job.yaml",
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: once}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: once, image: %s}]
        """
            .formatted(jobImage));
    files.put(
        "templates/crd.yaml",
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.upgrade.k3sbox.dev}
        spec:
          group: upgrade.k3sbox.dev
          scope: Namespaced
          names: {kind: Widget, plural: widgets, singular: widget}
          versions:
            - name: %s
              served: true
              storage: true
              schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        """
            .formatted(crdVersion));
    return files;
  }

  private static String configMap(String name, String data) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + name
        + "\ndata:\n  "
        + data
        + "\n";
  }

  private static String service(String name, String more) {
    return "apiVersion: v1\nkind: Service\nmetadata:\n  name: "
        + name
        + "\nspec:\n  selector: {app: "
        + name
        + "}\n  ports: [{port: 80}]\n"
        + more;
  }

  private static Path chart(String name, Map<String, String> files) throws IOException {
    Path chart = dir.resolve("charts").resolve(name);
    Files.createDirectories(chart.resolve("templates"));
    Files.createDirectories(chart.resolve("crds"));
    Files.writeString(
        chart.resolve("Chart.yaml"),
        "apiVersion: v2\nname: " + name.replaceAll("-.*", "") + "\nversion: 0.1.0\n");
    for (var file : files.entrySet()) {
      Files.writeString(chart.resolve(file.getKey()), file.getValue());
    }
    return chart;
  }
}
