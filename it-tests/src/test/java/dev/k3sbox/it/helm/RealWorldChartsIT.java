package dev.k3sbox.it.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import dev.k3sbox.it.support.ChildJvm;
import dev.k3sbox.it.support.Corpus;
import dev.k3sbox.it.support.Corpus.Expected;
import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The charts users judge k3sbox by: every chart of the corpus validates with the flags its README
 * lists, reporting exactly the objects the Helm CLI renders (hooks and tests included), all valid;
 * {@code template} prints those objects; install then uninstall leaves the cluster's CRDs and
 * namespaces as they were, but for what Helm itself keeps.
 */
class RealWorldChartsIT {
  private static final String CLUSTER = "corpus";
  @TempDir static Path dir;
  private static K3sboxProcess k3sbox;
  private static Corpus corpus;

  @BeforeAll
  static void cluster() throws Exception {
    SharedK3s.requireImage(SharedK3s.image());
    corpus = Corpus.unpack(dir.resolve("charts"));
    k3sbox = new K3sboxProcess(dir.resolve("k3sbox"));
    k3sbox.freshCluster(CLUSTER, 17421);
  }

  @AfterAll
  static void down() {
    if (k3sbox != null) {
      k3sbox.run("down", "--name", CLUSTER);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "cert-manager",
        "ingress-nginx",
        "kube-prometheus-stack",
        "argo-cd",
        "postgresql",
        "grafana",
        "metrics-server",
        "istio-base"
      })
  void shouldValidateEveryObjectHelmRendersAndFindItValid(String chart) throws Exception {
    // When
    ChildJvm.Result validate = k3sbox.run(args("validate", chart, "-o", "json"));
    ChildJvm.Result template = k3sbox.run(args("template", chart));

    // Then: exit 0, every object Helm renders (hooks included) reported, all valid
    assertThat(validate.exitCode()).as(validate.err() + validate.out()).isZero();
    JsonNode report = new ObjectMapper().readTree(validate.out());
    List<String> reported = new ArrayList<>();
    report
        .get("results")
        .forEach(
            r -> {
              assertThat(r.get("valid").asBoolean()).as(r.toString()).isTrue();
              reported.add(
                  key(
                      r.get("apiVersion").asText(),
                      r.get("kind").asText(),
                      r.get("name").asText(),
                      r.get("hook").isNull() ? "" : r.get("hook").asText()));
            });
    List<Expected> expected = corpus.expected(chart);
    assertThat(reported)
        .containsExactlyInAnyOrderElementsOf(
            expected.stream().map(e -> key(e.apiVersion(), e.kind(), e.name(), e.hook())).toList());

    // And: template prints exactly those objects, with the namespaces Helm renders
    assertThat(template.exitCode()).as(template.err()).isZero();
    List<Expected> printed =
        new ManifestParser()
            .parse(template.out(), chart).stream().map(RealWorldChartsIT::asRow).toList();
    assertThat(printed).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void shouldLeaveCrdsAndNamespacesAsBeforeAfterInstallAndUninstallButWhatHelmKeeps()
      throws Exception {
    // Given
    List<String> charts = List.of("cert-manager", "kube-prometheus-stack", "postgresql");
    Set<String> keptByHelm = new TreeSet<>();
    Set<String> crdsBefore;
    Set<String> namespacesBefore;
    try (KubernetesClient client = k3sbox.client(CLUSTER)) {
      crdsBefore = crds(client);
      namespacesBefore = namespaces(client);
    }

    for (String chart : charts) {
      ChildJvm.Result template = k3sbox.run(args("template", chart));
      assertThat(template.exitCode()).as(template.err()).isZero();
      new ManifestParser()
          .parse(template.out(), chart).stream()
              .filter(o -> o.isCrd() && o.keptByHelm())
              .forEach(o -> keptByHelm.add(o.name()));

      // When
      ChildJvm.Result install = k3sbox.run(args("install", chart));

      // Then
      assertThat(install.exitCode()).as(install.err() + install.out()).isZero();
    }
    for (String chart : charts) {
      ChildJvm.Result uninstall = k3sbox.run("uninstall", chart, "--name", CLUSTER);
      assertThat(uninstall.exitCode()).as(uninstall.err() + uninstall.out()).isZero();
    }

    // Then: CRDs and namespaces as before, plus the CRDs Helm never deletes (crds/ folders,
    // helm.sh/resource-policy: keep)
    try (KubernetesClient client = k3sbox.client(CLUSTER)) {
      Set<String> expected = new TreeSet<>(crdsBefore);
      expected.addAll(keptByHelm);
      assertThat(crds(client)).isEqualTo(expected);
      assertThat(namespaces(client)).isEqualTo(namespacesBefore);
    }
    assertThat(keptByHelm).isNotEmpty();
  }

  private static String[] args(String command, String chart, String... more) {
    return Stream.of(
            Stream.of(command, corpus.chart(chart).toString(), "--name", CLUSTER),
            Corpus.flags(chart).stream(),
            Stream.of(more))
        .flatMap(s -> s)
        .toArray(String[]::new);
  }

  private static String key(String apiVersion, String kind, String name, String hook) {
    return apiVersion + " " + kind + " " + name + (hook.isEmpty() ? "" : " hook " + hook);
  }

  private static Expected asRow(ManifestObject o) {
    return new Expected(
        o.apiVersion(),
        o.kind(),
        o.namespace() == null ? "" : o.namespace(),
        o.name(),
        o.hook() == null ? "" : o.hook());
  }

  private static Set<String> crds(KubernetesClient client) {
    Set<String> names = new TreeSet<>();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .list()
        .getItems()
        .forEach(c -> names.add(c.getMetadata().getName()));
    return names;
  }

  private static Set<String> namespaces(KubernetesClient client) {
    Set<String> names = new TreeSet<>();
    client.namespaces().list().getItems().forEach(n -> names.add(n.getMetadata().getName()));
    return names;
  }
}
