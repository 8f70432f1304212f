package dev.k3sbox.it.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.k3sbox.it.support.Cli;
import dev.k3sbox.it.support.ClusterSnapshot;
import dev.k3sbox.it.support.HelmOracle;
import dev.k3sbox.it.support.SharedK3s;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code k3sbox install} and {@code uninstall} against a real API server. */
class InstallIT {
  private KubernetesClient client;
  private String namespace;
  private ClusterSnapshot before;

  @BeforeEach
  void createNamespace() {
    client = SharedK3s.client();
    namespace = "install-it-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    before = ClusterSnapshot.take(client);
  }

  @AfterEach
  void deleteNamespace() {
    client.namespaces().withName(namespace).delete();
    // Gone before the next test snapshots the cluster, so tests cannot see each other's leftovers.
    await("deletion of namespace " + namespace)
        .atMost(Duration.ofMinutes(1))
        .until(() -> client.namespaces().withName(namespace).get() == null);
    client.close();
  }

  @Test
  void shouldLeaveTheClusterAsBeforeAfterInstallAndUninstall() {
    // When
    Cli install = cli("install", Cli.chart("app").toString(), "--release", "demo", "--wait");

    // Then
    assertThat(install.exitCode()).as(install.err()).isZero();
    assertThat(install.out())
        .contains(
            "applied  CustomResourceDefinition/gadgets.it.k3sbox.dev",
            "applied  Namespace/demo-side",
            "applied  ConfigMap/demo-side/side-config",
            "applied  Gadget/" + namespace + "/demo-gadget",
            "wait     Service/" + namespace + "/demo: cluster IP",
            "wait     Deployment/"
                + namespace
                + "/demo: not waited for; this cluster has no nodes");
    ConfigMap config = client.configMaps().inNamespace(namespace).withName("demo-config").get();
    assertThat(config.getMetadata().getManagedFields())
        .anySatisfy(f -> assertThat(f.getManager()).isEqualTo("k3sbox"));
    GenericKubernetesResource gadget =
        client
            .genericKubernetesResources("it.k3sbox.dev/v1", "Gadget")
            .inNamespace(namespace)
            .withName("demo-gadget")
            .get();
    assertThat(gadget).isNotNull();

    // When
    Cli uninstall = cli("uninstall", "demo");

    // Then: as before, but for the CRD of the chart's crds/ folder, which Helm never deletes
    assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();
    List<String> after = new ArrayList<>(ClusterSnapshot.take(client).names());
    assertThat(after).contains("CRD/gadgets.it.k3sbox.dev");
    after.remove("CRD/gadgets.it.k3sbox.dev");
    assertThat(after).isEqualTo(before.names());
    gadgetsCrd().delete();
    await("deletion of the kept CRD")
        .atMost(Duration.ofMinutes(2))
        .until(() -> gadgetsCrd().get() == null);
  }

  @Test
  void shouldPruneWhatAChangedChartNoLongerRenders() {
    // Given
    Cli first =
        cli("install", Cli.chart("app").toString(), "--release", "p", "--set", "extra=true");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(client.configMaps().inNamespace(namespace).withName("p-extra").get()).isNotNull();
    // someone changes the crds/ CRD the first install created
    gadgetsCrd()
        .edit(
            c ->
                new CustomResourceDefinitionBuilder(c)
                    .editMetadata()
                    .addToLabels("edited", "yes")
                    .endMetadata()
                    .build());

    // When
    Cli second = cli("install", Cli.chart("app").toString(), "--release", "p");

    // Then: pruned what the chart no longer renders, and the CRD left as it is, as Helm's install
    // leaves a crds/ CRD that exists ("CRD gadgets.it.k3sbox.dev is already present. Skipping.")
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("pruned   ConfigMap/" + namespace + "/p-extra");
    assertThat(second.out())
        .contains("kept     CustomResourceDefinition/gadgets.it.k3sbox.dev: already present")
        .doesNotContain("applied  CustomResourceDefinition/gadgets.it.k3sbox.dev");
    assertThat(gadgetsCrd().get().getMetadata().getLabels()).containsEntry("edited", "yes");
    assertThat(client.configMaps().inNamespace(namespace).withName("p-extra").get()).isNull();
    assertThat(client.configMaps().inNamespace(namespace).withName("p-config").get()).isNotNull();

    // When
    Cli uninstall = cli("uninstall", "p");

    // Then: as before, but for the CRD of the chart's crds/ folder, which Helm never deletes
    assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();
    List<String> after = new ArrayList<>(ClusterSnapshot.take(client).names());
    assertThat(after).contains("CRD/gadgets.it.k3sbox.dev");
    after.remove("CRD/gadgets.it.k3sbox.dev");
    assertThat(after).isEqualTo(before.names());
    gadgetsCrd().delete();
    await("deletion of the kept CRD")
        .atMost(Duration.ofMinutes(2))
        .until(() -> gadgetsCrd().get() == null);
  }

  @Test
  void shouldKeepAnObjectWhoseApiVersionTheChartChanged(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    // Given: one HPA, first as autoscaling/v1, then as autoscaling/v2 (one object to Helm)
    Path v1 = hpaChart(dir.resolve("v1"), "autoscaling/v1", "targetCPUUtilizationPercentage: 80");
    Path v2 =
        hpaChart(
            dir.resolve("v2"),
            "autoscaling/v2",
            "metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization,"
                + " averageUtilization: 80}}}]");
    assertThat(cli("install", v1.toString(), "--release", "hpa").exitCode()).isZero();

    // When
    Cli second = cli("install", v2.toString(), "--release", "hpa");

    // Then: applied, not pruned as "no longer rendered"
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).doesNotContain("pruned");
    assertThat(
            client
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace)
                .withName("web")
                .get())
        .isNotNull();
    assertThat(cli("uninstall", "hpa").exitCode()).isZero();
  }

  private static Path hpaChart(Path chart, String apiVersion, String spec) throws Exception {
    java.nio.file.Files.createDirectories(chart.resolve("templates"));
    java.nio.file.Files.writeString(
        chart.resolve("Chart.yaml"), "apiVersion: v2\nname: hpa\nversion: 0.1.0\n");
    java.nio.file.Files.writeString(
        chart.resolve("templates/hpa.yaml"),
        "apiVersion: "
            + apiVersion
            + "\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n"
            + "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
            + "  minReplicas: 1\n  maxReplicas: 3\n  "
            + spec
            + "\n");
    return chart;
  }

  @Test
  void shouldRefuseToUninstallAnUnknownRelease() {
    // When
    Cli run = cli("uninstall", "never-installed");

    // Then
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: no k3sbox release never-installed in namespace "
                + namespace
                + "; check the name and -n/--namespace (kubectl get secrets -A -l"
                + " k3sbox.dev/release)\n");
  }

  @Test
  void shouldTakeOverACrdThatValidateKeptAsAScratchObject() {
    // Given: the chart's crds/ CRD kept by validate as a scratch object (as on a k3sbox cluster)
    Cli validate =
        cli("validate", Cli.chart("app").toString(), "--release", "s", "--scratch", "keep");
    assertThat(validate.exitCode()).as(validate.err()).isZero();
    assertThat(gadgetsCrd().get().getMetadata().getLabels())
        .containsEntry("k3sbox.dev/scratch", "true");

    // When
    Cli install = cli("install", Cli.chart("app").toString(), "--release", "s");

    // Then: applied as the release's own, no longer k3sbox's scratch object (validate would change
    // or delete that), not "kept" as a CRD the user had
    assertThat(install.exitCode()).as(install.err()).isZero();
    assertThat(install.out())
        .contains("applied  CustomResourceDefinition/gadgets.it.k3sbox.dev")
        .doesNotContain("kept     CustomResourceDefinition/gadgets.it.k3sbox.dev");
    assertThat(gadgetsCrd().get().getMetadata().getLabels())
        .doesNotContainKey("k3sbox.dev/scratch");

    // the release's Namespace, which validate kept too, goes with it: gone before the next test
    assertThat(cli("uninstall", "s").exitCode()).isZero();
    await("deletion of namespace s-side")
        .atMost(Duration.ofMinutes(1))
        .until(() -> client.namespaces().withName("s-side").get() == null);
    gadgetsCrd().delete();
    await("deletion of the kept CRD")
        .atMost(Duration.ofMinutes(2))
        .until(() -> gadgetsCrd().get() == null);
  }

  @Test
  void shouldInstallWhatHelmInstallsWhenTemplatesAskForTheChartsOwnCrds(@TempDir Path dir)
      throws Exception {
    // Given: a chart whose template renders a custom resource only when the cluster serves the
    // CRD of its own crds/ folder, and says in a ConfigMap whether it did
    Path chart = dir.resolve("gated");
    Files.createDirectories(chart.resolve("crds"));
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: gated\nversion: 0.1.0\n");
    Files.writeString(
        chart.resolve("crds/gizmo.yaml"),
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gizmos.gated.it.k3sbox.dev}
        spec:
          group: gated.it.k3sbox.dev
          scope: Namespaced
          names: {kind: Gizmo, plural: gizmos, singular: gizmo}
          versions:
            - name: v1
              served: true
              storage: true
              schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        """);
    Files.writeString(
        chart.resolve("templates/gizmo.yaml"),
        """
        {{- if .Capabilities.APIVersions.Has "gated.it.k3sbox.dev/v1/Gizmo" }}
        apiVersion: gated.it.k3sbox.dev/v1
        kind: Gizmo
        metadata: {name: g}
        {{- end }}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: gated}
        data: {served: {{ .Capabilities.APIVersions.Has "gated.it.k3sbox.dev/v1" | quote }}}
        """);
    HelmOracle helm = HelmOracle.in(dir.resolve("helm-home"));
    HelmOracle.Result byHelm =
        helm.run(SharedK3s.kubeconfig(), "install", "gated", chart.toString(), "-n", namespace);
    assertThat(byHelm.exitCode()).as(byHelm.err()).isZero();
    Map<String, String> helmsData = gatedData();
    boolean helmsGizmo = gizmoExists();
    assertThat(helm.run(SharedK3s.kubeconfig(), "uninstall", "gated", "-n", namespace).exitCode())
        .isZero();
    deleteGizmoCrd();

    // When
    Cli install = cli("install", chart.toString(), "--release", "gated");

    // Then: what Helm's install made, because it made the crds/ CRD before rendering
    assertThat(install.exitCode()).as(install.err()).isZero();
    assertThat(helmsGizmo).isTrue();
    assertThat(gizmoExists()).isEqualTo(helmsGizmo);
    assertThat(gatedData()).isEqualTo(helmsData).containsEntry("served", "true");
    assertThat(install.out())
        .contains("applied  CustomResourceDefinition/gizmos.gated.it.k3sbox.dev");

    assertThat(cli("uninstall", "gated").exitCode()).isZero();
    deleteGizmoCrd();
  }

  private Map<String, String> gatedData() {
    return client.configMaps().inNamespace(namespace).withName("gated").get().getData();
  }

  private boolean gizmoExists() {
    return client
            .genericKubernetesResources("gated.it.k3sbox.dev/v1", "Gizmo")
            .inNamespace(namespace)
            .withName("g")
            .get()
        != null;
  }

  private void deleteGizmoCrd() {
    var crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("gizmos.gated.it.k3sbox.dev");
    crd.delete();
    await("deletion of the gizmos CRD")
        .atMost(Duration.ofMinutes(2))
        .until(() -> crd.get() == null);
  }

  /** The CRD of the app chart's crds/ folder. */
  private Resource<CustomResourceDefinition> gadgetsCrd() {
    return client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("gadgets.it.k3sbox.dev");
  }

  private Cli cli(String... args) {
    String[] all = new String[args.length + 5];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--kubeconfig";
    all[args.length + 1] = SharedK3s.kubeconfig().toString();
    all[args.length + 2] = "-n";
    all[args.length + 3] = namespace;
    all[args.length + 4] = "-q";
    return Cli.run(all);
  }
}
