package dev.k3sbox.helm.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders with the real Helm engine (helm-java's native library). */
class ChartRendererTest {
  @TempDir Path dir;

  private final ChartRenderer renderer = new ChartRenderer(HelmListener.NONE);

  private Path chart() throws Exception {
    Path chart = dir.resolve("demo");
    Files.createDirectories(chart.resolve("templates"));
    Files.createDirectories(chart.resolve("crds"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("values.yaml"), "n: 1\n");
    Files.writeString(
        chart.resolve("templates/cm.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}
        data:
          n: {{ kindOf .Values.n | quote }}
          s: {{ kindOf .Values.s | quote }}
          kube: {{ .Capabilities.KubeVersion.Version | quote }}
        """);
    Files.writeString(
        chart.resolve("crds/widgets.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
            + "  name: widgets.example.com\n");
    return chart;
  }

  @Test
  void shouldEndItsEngineWhenTheCommandIsDone() throws Exception {
    // Given: a render, which leaves the command's engine running for the next one
    renderer.render(RenderSpec.of(chart()));
    assertThat(engines()).isNotEmpty();

    // When
    HelmEngine.stopEngines();

    // Then: no engine, so no thread of this JVM waits in a read of its output at exit
    assertThat(engines()).isEmpty();
  }

  @Test
  void shouldKeepItsEngineForTheNextCommandAndRenderTheChartAsItIsThen() throws Exception {
    // Given: a command's render, and its engine
    Path chart = chart();
    renderer.render(RenderSpec.of(chart));
    List<ProcessHandle> before = engines();

    // When: the template is edited, and the warm JVM's next command renders the chart
    Path template = chart.resolve("templates/cm.yaml");
    Files.writeString(template, Files.readString(template).replace("data:", "data:\n  edited: x"));
    HelmEngine.nextCommand();
    RenderedChart next = renderer.render(RenderSpec.of(chart));

    // Then: by the same engine (when the engine renders, not helm-java), as the chart is now
    assertThat(next.manifestText()).contains("edited: x");
    assertThat(engines()).isEqualTo(before);
    HelmEngine.stopEngines();
  }

  @Test
  void shouldRenderTheNextCommandWithAnEngineBuiltSinceTheLastOne() throws Exception {
    // Given: a command's render, its engine kept for the next command
    Path chart = chart();
    renderer.render(RenderSpec.of(chart));
    HelmEngine.nextCommand();
    List<ProcessHandle> before = engines();
    Path binary = Path.of(System.getenv(HelmEngine.ENV));
    org.junit.jupiter.api.Assumptions.assumeFalse(before.isEmpty(), "renders with the engine");

    // When: the engine is built again (as the launcher does when its sources changed) and the
    // next command renders
    Files.setLastModifiedTime(
        binary, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(2)));
    renderer.render(RenderSpec.of(chart));

    // Then: by an engine of the new build, the old one ended
    assertThat(engines()).hasSize(1).doesNotContainAnyElementsOf(before);
    HelmEngine.stopEngines();
  }

  /** The engine processes this JVM started that still run. */
  private static java.util.List<ProcessHandle> engines() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().orElse("").endsWith("k3sbox-helm"))
        .toList();
  }

  @Test
  void shouldRenderWithChartNameAsDefaultReleaseAndIncludeCrds() throws Exception {
    // When
    RenderedChart rendered = renderer.render(RenderSpec.of(chart()));

    // Then
    assertThat(rendered.chartName()).isEqualTo("demo");
    assertThat(rendered.release()).isEqualTo("demo");
    assertThat(rendered.manifestText()).contains("# Source: demo/templates/cm.yaml", "name: demo");
    assertThat(rendered.crdsText()).contains("widgets.example.com");
  }

  @Test
  void shouldNameTheFileOfEachCrdIncludingADependencys() throws Exception {
    // Given: a second CRD file with two documents, and an unpacked dependency with its own CRD
    Path chart = chart();
    Files.writeString(
        chart.resolve("crds/more.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
            + "  name: gadgets.example.com\n---\napiVersion: apiextensions.k8s.io/v1\n"
            + "kind: CustomResourceDefinition\nmetadata:\n  name: gizmos.example.com\n");
    Path dep = chart.resolve("charts/dep");
    Files.createDirectories(dep.resolve("crds"));
    Files.writeString(dep.resolve("Chart.yaml"), "apiVersion: v2\nname: dep\nversion: 0.1.0\n");
    Files.writeString(
        dep.resolve("crds/things.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
            + "  name: things.example.com\n");

    // When
    List<ManifestObject> crds =
        new ManifestParser()
            .parse(renderer.render(RenderSpec.of(chart))).stream()
                .filter(ManifestObject::isCrd)
                .toList();

    // Then
    assertThat(crds)
        .extracting(o -> o.name() + " " + o.source())
        .containsExactlyInAnyOrder(
            "widgets.example.com demo/crds/widgets.yaml",
            "gadgets.example.com demo/crds/more.yaml",
            "gizmos.example.com demo/crds/more.yaml",
            "things.example.com demo/charts/dep/crds/things.yaml");
  }

  @Test
  void shouldApplySetSetStringAndKubeVersion() throws Exception {
    // Given
    RenderSpec spec =
        new RenderSpec(
            chart(),
            List.of(),
            List.of(SetExpression.parse("--set", "n=5")),
            List.of(SetExpression.parse("--set-string", "s=true")),
            "rel",
            "apps",
            "v1.31.2");

    // When
    RenderedChart rendered = renderer.render(spec);

    // Then
    assertThat(rendered.manifestText())
        .contains("name: rel", "n: \"int64\"", "s: \"string\"", "kube: \"v1.31.2\"");
    assertThat(rendered.namespace()).isEqualTo("apps");
  }

  @Test
  void shouldNameTemplateAndLineOfATemplateError() throws Exception {
    // Given
    Path chart = chart();
    Files.writeString(chart.resolve("templates/bad.yaml"), "a: {{ .Values.x.y }}\n");

    // Then
    assertThatThrownBy(() -> renderer.render(RenderSpec.of(chart)))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessageStartingWith(
            "chart " + chart + " could not be rendered: template: demo/templates/bad.yaml:1:")
        .hasMessageEndingWith("; fix the chart and run again")
        .matches(e -> ((HelmRunnerException) e).kind() == Kind.RENDER)
        .matches(e -> !e.getMessage().contains("\n"));
  }

  @Test
  void shouldCallAMalformedChartYamlARenderFailure() throws Exception {
    // Given
    Path chart = chart();
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: [x\n");

    // Then
    assertThatThrownBy(() -> renderer.render(RenderSpec.of(chart)))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessageContaining("Chart.yaml")
        .hasMessageContaining("line 2");
  }

  @Test
  void shouldCallABadKubeVersionAUsageError() throws Exception {
    // Given
    RenderSpec spec = new RenderSpec(chart(), null, null, null, null, null, "soon");

    // Then
    assertThatThrownBy(() -> renderer.render(spec))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessage("--kube-version 'soon' is not a version; write it like v1.35.0")
        .matches(e -> ((HelmRunnerException) e).kind() == Kind.USAGE);
  }

  @Test
  void shouldRenderAPackagedChart() throws Exception {
    // Given
    new Helm(chart()).packageIt().withDestination(dir).call();
    Path packaged = dir.resolve("demo-0.1.0.tgz");

    // When
    RenderedChart rendered = renderer.render(RenderSpec.of(packaged));

    // Then
    assertThat(rendered.manifestText()).contains("kind: ConfigMap");
    assertThat(rendered.crdsText()).contains("widgets.example.com");
  }

  @Test
  void shouldRejectADirectoryWithoutChartYaml() throws Exception {
    assertThatThrownBy(() -> renderer.render(RenderSpec.of(dir)))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessage(
            dir + " has no Chart.yaml; pass a chart directory (helm create makes one) or a .tgz");
  }
}
