package dev.k3sbox.helm.render;

import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.KubeTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Helm's own engine as a child process: {@code k3sbox-helm} (Go, {@code helm-engine/}, built
 * against the Helm version helm-java embeds) renders as {@code helm install --dry-run=server} does
 * against the target cluster, hooks included, and resolves chart references as Helm does. helm-java
 * cannot: its template call returns the release manifest only, with default capabilities. The
 * binary is named by {@code K3SBOX_HELM_ENGINE}; the launcher builds it with Go beside the CLI.
 */
public final class HelmEngine {
  /** The environment variable that names the engine binary. */
  public static final String ENV = "K3SBOX_HELM_ENGINE";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path binary;

  private HelmEngine(Path binary) {
    this.binary = binary;
  }

  /** The engine named by {@link #ENV}, if that file can be run. */
  public static Optional<HelmEngine> fromEnvironment() {
    String path = System.getenv(ENV);
    if (path == null || path.isBlank()) {
      return Optional.empty();
    }
    Path p = Path.of(path);
    return Files.isExecutable(p) ? Optional.of(new HelmEngine(p)) : Optional.empty();
  }

  /**
   * Ends the engines this JVM started (see EngineServer#stopAll): to be called when a command is
   * done, before the JVM exits.
   */
  public static void stopEngines() {
    EngineServer.stopAll();
  }

  /**
   * A command is done, and the JVM serves others (the warm JVM): its engines are kept for them (see
   * EngineServer#nextCommand).
   */
  public static void nextCommand() {
    EngineServer.nextCommand();
  }

  /** The Helm version this engine was built with (v3.21.0), as its {@code --version} says. */
  public String helmVersion() {
    try {
      Process p =
          new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      // An engine from before --version would wait for a request on stdin: none comes.
      p.getOutputStream().close();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "unknown (it did not answer --version)";
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.exitValue() == 0 && !out.isEmpty() ? out : "unknown";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** The engine's file. */
  public Path binary() {
    return binary;
  }

  /**
   * Renders {@code spec}; against {@code target}'s cluster when present (its version, its APIs,
   * {@code lookup} answered by it), else offline as {@code helm template} does. {@code
   * dependencyCache} is where a chart folder with missing dependencies is copied to build them.
   */
  public RenderedChart render(
      RenderSpec spec, Optional<KubeTarget> target, Path dependencyCache, HelmListener listener) {
    return render(spec, target, dependencyCache, listener, Pass.RENDER);
  }

  /** What one request to the engine asks for. */
  public enum Pass {
    /** The chart rendered: its manifest and its crds/ CRDs. */
    RENDER,
    /** As RENDER, with what the cluster serves asked again (k3sbox has made CRDs there since). */
    RENDER_REDISCOVERED,
    /**
     * Only the CRDs of the crds/ folders the values enable, nothing rendered: what Helm's install
     * makes before it renders.
     */
    CRDS_ONLY
  }

  /** {@link #render(RenderSpec, Optional, Path, HelmListener)}, for {@code pass}. */
  public RenderedChart render(
      RenderSpec spec,
      Optional<KubeTarget> target,
      Path dependencyCache,
      HelmListener listener,
      Pass pass) {
    ObjectNode request = JSON.createObjectNode();
    request.put("crdsOnly", pass == Pass.CRDS_ONLY);
    request.put("rediscover", pass == Pass.RENDER_REDISCOVERED);
    request.put("chart", spec.chart());
    putIfSet(request, "version", spec.version());
    putIfSet(request, "repo", spec.repo());
    strings(
        request.putArray("valuesFiles"), spec.valuesFiles().stream().map(Path::toString).toList());
    strings(request.putArray("set"), spec.set().stream().map(SetExpression::text).toList());
    strings(
        request.putArray("setString"), spec.setString().stream().map(SetExpression::text).toList());
    putIfSet(request, "release", spec.release());
    request.put("namespace", spec.namespace());
    putIfSet(request, "kubeVersion", spec.kubeVersion());
    strings(request.putArray("apiVersions"), spec.apiVersions());
    request.put("plainHttp", spec.plainHttp());
    request.put("insecureSkipTlsVerify", spec.insecureSkipTlsVerify());
    target.ifPresent(
        t -> {
          request.put("kubeconfig", t.kubeconfig().toAbsolutePath().toString());
          putIfSet(request, "context", t.context());
        });
    if (dependencyCache != null) {
      request.put("dependencyCache", dependencyCache.toAbsolutePath().toString());
    }
    JsonNode answer = call(request);
    if (answer.hasNonNull("error")) {
      throw failure(spec, target, answer);
    }
    String chartName = answer.path("chartName").asString();
    String fetched = answer.path("dependenciesFetched").asString("");
    if (!fetched.isEmpty()) {
      listener.info(
          "the dependencies of "
              + spec.chart()
              + " that its charts/ folder lacks are in "
              + fetched
              + " (fetched once, reused while the chart is unchanged)");
    }
    return new RenderedChart(
        chartName,
        spec.release() != null ? spec.release() : chartName,
        spec.namespace(),
        pieces(answer.path("manifest")),
        pieces(answer.path("crds")));
  }

  /** The engine's refusal as k3sbox's one line, worded as helm-java's path words it. */
  private HelmRunnerException failure(
      RenderSpec spec, Optional<KubeTarget> target, JsonNode answer) {
    String helm = ChartRenderer.oneLine(answer.get("error").asString());
    // What Helm and client-go logged, shown with --verbose as the cause (never on the terminal
    // otherwise: raw Go log lines are not k3sbox's messages).
    Exception log = new IllegalStateException("Helm's engine said:\n" + lastLog.strip());
    switch (answer.path("kind").asString()) {
      case "cluster" -> {
        String server = answer.path("server").asString("");
        return new HelmRunnerException(
            Kind.CLUSTER,
            ClusterConnection.unreachable(
                server.endsWith("/") ? server : server + "/",
                target.map(t -> " from " + t.kubeconfig()).orElse(""),
                helm),
            log);
      }
      case "usage" -> {
        return ChartRenderer.usageMistake(spec, helm, log)
            .orElseGet(() -> new HelmRunnerException(Kind.USAGE, helm, log));
      }
      default -> {
        return ChartRenderer.usageMistake(spec, helm, log)
            .orElseGet(() -> ChartRenderer.renderFailure(spec, helm, log));
      }
    }
  }

  /** Asks the command's engine ({@link EngineServer}); its log is kept for --verbose. */
  private JsonNode call(ObjectNode request) {
    EngineServer server = EngineServer.of(binary);
    try {
      return server.call(request);
    } finally {
      lastLog = server.log();
    }
  }

  private volatile String lastLog = "";

  /** What Helm and client-go logged lately (the engine's last 64 KiB), for --verbose. */
  public String lastLog() {
    return lastLog;
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null && !value.isBlank()) {
      node.put(field, value);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  /** The rendered text's pieces, their text filled in by {@link EngineServer} where repeated. */
  private List<RenderedChart.Piece> pieces(JsonNode array) {
    List<RenderedChart.Piece> pieces = new ArrayList<>(array.size());
    for (JsonNode piece : array) {
      if (!piece.has("text")) {
        // An engine of another protocol (the launcher rebuilds it when its sources change).
        throw new HelmRunnerException(
            Kind.RENDER,
            "Helm's engine "
                + binary
                + " answered in a form k3sbox does not read; delete it and run ./k3sbox again to"
                + " rebuild it");
      }
      pieces.add(
          new RenderedChart.Piece(
              piece.get("text").asString(),
              piece.has("json") ? piece.get("json").asString() : null,
              piece.path("key").asString(null)));
    }
    return pieces;
  }
}
