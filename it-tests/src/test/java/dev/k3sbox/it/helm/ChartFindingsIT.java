package dev.k3sbox.it.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.GeneratedChart;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per finding of the real-world charts issue, each on a small chart made here, against a
 * k3sbox cluster made by {@code up}: what failed before and what Helm does instead.
 */
class ChartFindingsIT {
  private static final String CLUSTER = "findings";
  private static final String CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: %1$ss.%2$s
      spec:
        group: %2$s
        scope: Namespaced
        names: {kind: %3$s, plural: %1$ss, singular: %1$s}
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: integer}
      """;

  @TempDir static Path dir;
  private static K3sboxProcess k3sbox;

  @BeforeAll
  static void cluster() {
    SharedK3s.requireImage(SharedK3s.image());
    k3sbox = new K3sboxProcess(dir.resolve("k3sbox"));
    k3sbox.freshCluster(CLUSTER, 17423);
  }

  @AfterAll
  static void down() {
    if (k3sbox != null) {
      k3sbox.run("down", "--name", CLUSTER);
    }
  }

  @Test
  void shouldValidateHooksAndReportAHookWithATypo() throws Exception {
    // Given: a pre-install Job hook with a field that does not exist
    Path chart =
        chart(
            "hooked",
            Map.of(
                "templates/job.yaml",
                """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  annotations: {"helm.sh/hook": pre-install}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: m
                          image: busybox
                          comand: ["true"]
                """,
                "templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"));

    // When
    ChildJvm.Result run = validate(chart, "-o", "json");

    // Then: the hook is validated, named as a hook, and rejected with the server's words
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode job = result(run, "migrate");
    assertThat(job.get("hook").asText()).isEqualTo("pre-install");
    assertThat(job.get("valid").asBoolean()).isFalse();
    assertThat(job.get("errors").toString()).contains("comand");
  }

  @Test
  void shouldRenderForTheClustersVersionSoAKubeVersionGateIsMet() throws Exception {
    // Given: a chart for Kubernetes 1.30 and later, choosing its API by .Capabilities
    Path chart =
        chart(
            "gated",
            Map.of(
                "Chart.yaml",
                "apiVersion: v2\nname: gated\nversion: 0.1.0\nkubeVersion: \">= 1.30.0-0\"\n",
                "templates/cm.yaml",
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: caps}
                data:
                  version: {{ .Capabilities.KubeVersion.Version | quote }}
                  pdb: {{ .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" | quote }}
                """));

    // When
    ChildJvm.Result run = k3sbox.run("template", chart.toString(), "--name", CLUSTER);

    // Then: the server's version, its served APIs
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("version: \"v1.35").contains("pdb: \"true\"");
  }

  @Test
  void shouldLeaveKeptScratchCrdsOutOfTheCapabilitiesAsARealInstallWouldNotFindThem()
      throws Exception {
    // Given: a validation that kept its CRD as a scratch object
    ChildJvm.Result validated = validate(crdChart("capped", "capped.example.com"));
    assertThat(validated.exitCode()).as(validated.err()).isZero();
    Path chart =
        chart(
            "asks",
            Map.of(
                "templates/cm.yaml",
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: asks}
                data:
                  group: {{ .Capabilities.APIVersions.Has "capped.example.com/v1" | quote }}
                  kind: {{ .Capabilities.APIVersions.Has "capped.example.com/v1/Widget" | quote }}
                  apps: {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" | quote }}
                """));

    // When
    ChildJvm.Result run = k3sbox.run("template", chart.toString(), "--name", CLUSTER);

    // Then
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("group: \"false\"")
        .contains("kind: \"false\"")
        .contains("apps: \"true\"");
  }

  @Test
  void shouldAnswerLookupFromTheTargetClusterOnly() throws Exception {
    // Given: an object in the cluster, and a chart that reads it with lookup
    try (KubernetesClient client = k3sbox.client(CLUSTER)) {
      client
          .configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("existing")
                  .endMetadata()
                  .addToData("colour", "teal")
                  .build())
          .serverSideApply();
    }
    Path chart =
        chart(
            "looker",
            Map.of(
                "templates/cm.yaml",
                """
                {{- $cm := lookup "v1" "ConfigMap" "default" "existing" }}
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: looked}
                data:
                  colour: {{ dig "data" "colour" "none" $cm | quote }}
                """));

    // When
    ChildJvm.Result cluster = k3sbox.run("template", chart.toString(), "--name", CLUSTER);
    ChildJvm.Result offline = k3sbox.run("template", chart.toString(), "--offline");
    ChildJvm.Result valid = validate(chart);

    // Then: the target cluster answers; offline nothing does, as helm template
    assertThat(cluster.out()).contains("colour: \"teal\"");
    assertThat(offline.exitCode()).as(offline.err()).isZero();
    assertThat(offline.out()).contains("colour: \"none\"");
    assertThat(valid.exitCode()).as(valid.err()).isZero();
    assertThat(valid.err()).doesNotContain("[ERROR]").doesNotContain("localhost:8080");
  }

  @Test
  void shouldSkipTheCrdsOfADisabledSubchart() throws Exception {
    // Given: a subchart with a CRD in crds/, disabled by its condition
    Path chart =
        chart(
            "parent",
            Map.of(
                "Chart.yaml",
                """
                apiVersion: v2
                name: parent
                version: 0.1.0
                dependencies:
                  - name: child
                    version: 0.1.0
                    condition: child.enabled
                """,
                "values.yaml",
                "child: {enabled: false}\n",
                "templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: parent}\n",
                "charts/child/Chart.yaml",
                "apiVersion: v2\nname: child\nversion: 0.1.0\n",
                "charts/child/crds/gadgets.yaml",
                CRD.formatted("gadget", "child.example.com", "Gadget")));

    // When
    ChildJvm.Result disabled = validate(chart, "-o", "json");
    ChildJvm.Result enabled = validate(chart, "-o", "json", "--set", "child.enabled=true");

    // Then
    assertThat(disabled.exitCode()).as(disabled.err()).isZero();
    assertThat(names(disabled)).containsExactly("parent");
    assertThat(enabled.exitCode()).as(enabled.err()).isZero();
    assertThat(names(enabled)).containsExactlyInAnyOrder("parent", "gadgets.child.example.com");
  }

  @Test
  void shouldParseAPackagedChartsCrdFilesWithoutLeadingSeparatorsAsTwoObjects() throws Exception {
    // Given: a .tgz whose crds/ file holds two CRDs and starts without ---
    Path folder =
        chart(
            "packed",
            Map.of(
                "templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: packed}\n",
                "crds/both.yaml",
                CRD.formatted("bolt", "packed.example.com", "Bolt")
                    + "---\n"
                    + CRD.formatted("nut", "packed.example.com", "Nut")));
    Path tgz = dir.resolve("packed-0.1.0.tgz");
    Process tar =
        new ProcessBuilder(
                "tar", "-czf", tgz.toString(), "-C", folder.getParent().toString(), "packed")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();

    // When
    ChildJvm.Result run = validate(tgz, "-o", "json");

    // Then
    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertThat(names(run))
        .containsExactlyInAnyOrder("packed", "bolts.packed.example.com", "nuts.packed.example.com");
  }

  @Test
  void shouldGiveTwoValidationsAtOnceEachTheRightAnswer() throws Exception {
    // Given: a chart with a CRD and a custom resource of it
    Path chart = crdChart("twice", "twice.example.com");

    // When: two runs at once, twice
    for (int round = 0; round < 2; round++) {
      ChildJvm a = k3sbox.start("validate", chart.toString(), "--name", CLUSTER);
      ChildJvm b = k3sbox.start("validate", chart.toString(), "--name", CLUSTER);
      ChildJvm.Result ra = a.await(Duration.ofMinutes(2));
      ChildJvm.Result rb = b.await(Duration.ofMinutes(2));

      // Then
      assertThat(ra.exitCode()).as(ra.err() + ra.out()).isZero();
      assertThat(rb.exitCode()).as(rb.err() + rb.out()).isZero();
    }
  }

  @Test
  void shouldEndWithin2sWith130OnSigterm() throws Exception {
    // Given: a long validation under way (its dry runs started)
    Path chart = GeneratedChart.of(dir.resolve("long"), 2000);
    ChildJvm run = k3sbox.start("validate", chart.toString(), "--name", CLUSTER);
    run.awaitErr("dry-running", Duration.ofMinutes(1));
    assertThat(run.process().isAlive()).as("still validating").isTrue();

    // When
    long start = System.nanoTime();
    run.process().destroy(); // SIGTERM
    ChildJvm.Result result = run.await(Duration.ofSeconds(10));

    // Then
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(result.exitCode()).isEqualTo(130);
  }

  @Test
  void shouldWaitForACrdLeftTerminatingAndThenValidate() throws Exception {
    // Given: the chart's CRD stuck Terminating behind a custom resource's finalizer
    String group = "stuck.example.com";
    Path chart = crdChart("stuck", group);
    ChildJvm.Result first = validate(chart);
    assertThat(first.exitCode()).as(first.err()).isZero();
    ResourceDefinitionContext widgets =
        new ResourceDefinitionContext.Builder()
            .withGroup(group)
            .withVersion("v1")
            .withPlural("widgets")
            .withKind("Widget")
            .withNamespaced(true)
            .build();
    try (KubernetesClient client = k3sbox.client(CLUSTER)) {
      GenericKubernetesResource held =
          new GenericKubernetesResourceBuilder()
              .withApiVersion(group + "/v1")
              .withKind("Widget")
              .withNewMetadata()
              .withName("held")
              .withNamespace("default")
              .withFinalizers("example.com/hold")
              .endMetadata()
              .build();
      client.genericKubernetesResources(widgets).resource(held).create();
      client.apiextensions().v1().customResourceDefinitions().withName("widgets." + group).delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client
                          .apiextensions()
                          .v1()
                          .customResourceDefinitions()
                          .withName("widgets." + group)
                          .get()
                          .getMetadata()
                          .getDeletionTimestamp()
                      != null);

      // When: a validation starts, and the finalizer is released a moment later
      ChildJvm run = k3sbox.start("validate", chart.toString(), "--name", CLUSTER);
      run.awaitErr("is being deleted; waiting for it to go", Duration.ofMinutes(1));
      client
          .genericKubernetesResources(widgets)
          .inNamespace("default")
          .withName("held")
          .edit(
              r -> {
                r.getMetadata().setFinalizers(List.of());
                return r;
              });
      ChildJvm.Result result = run.await(Duration.ofMinutes(2));

      // Then: it waited, made the CRD again and found the chart valid
      assertThat(result.exitCode()).as(result.err() + result.out()).isZero();
      assertThat(result.out()).doesNotContain("terminating");
    }
  }

  @Test
  void shouldWarnOfDuplicateEnvNamesAsHelm3AcceptsThemAndRefuseThemWithStrict() throws Exception {
    // Given: two env vars of one name, which server-side apply refuses and a create accepts
    Path chart =
        chart(
            "dupenv",
            Map.of(
                "templates/pod.yaml",
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: first}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: dupenv}
                spec:
                  selector: {matchLabels: {app: dupenv}}
                  template:
                    metadata: {labels: {app: dupenv}}
                    spec:
                      containers:
                        - name: c
                          image: busybox
                          env:
                            - {name: FOO, value: "1"}
                            - {name: FOO, value: "2"}
                """));

    // When
    ChildJvm.Result lenient = validate(chart, "-o", "json");
    ChildJvm.Result strict = validate(chart, "-o", "json", "--strict");

    // Then
    assertThat(lenient.exitCode()).as(lenient.err()).isZero();
    assertThat(result(lenient, "dupenv").get("warnings").toString())
        .contains("Helm 3's install accepts it")
        .contains("duplicate entries for key [name=\\\"FOO\\\"]");
    assertThat(strict.exitCode()).as(strict.err()).isEqualTo(1);
    assertThat(result(strict, "dupenv").get("errors").toString()).contains("duplicate entries");
  }

  private static Path crdChart(String name, String group) throws IOException {
    return chart(
        name,
        Map.of(
            "crds/widgets.yaml",
            CRD.formatted("widget", group, "Widget"),
            "templates/widget.yaml",
            "apiVersion: " + group + "/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n"));
  }

  private static Path chart(String name, Map<String, String> files) throws IOException {
    Path chart = dir.resolve("charts").resolve(name);
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(
        chart.resolve("Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n");
    for (var file : files.entrySet()) {
      Path path = chart.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    return chart;
  }

  private static ChildJvm.Result validate(Path chart, String... more) {
    List<String> args = new ArrayList<>(List.of("validate", chart.toString(), "--name", CLUSTER));
    args.addAll(List.of(more));
    return k3sbox.run(args.toArray(String[]::new));
  }

  private static JsonNode result(ChildJvm.Result run, String name) throws IOException {
    for (JsonNode r : new ObjectMapper().readTree(run.out()).get("results")) {
      if (name.equals(r.get("name").asText())) {
        return r;
      }
    }
    throw new AssertionError("no result for " + name + " in " + run.out());
  }

  private static List<String> names(ChildJvm.Result run) throws IOException {
    List<String> names = new ArrayList<>();
    new ObjectMapper()
        .readTree(run.out())
        .get("results")
        .forEach(r -> names.add(r.get("name").asText()));
    return names;
  }
}
