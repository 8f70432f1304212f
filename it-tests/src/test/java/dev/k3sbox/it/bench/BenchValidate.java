package dev.k3sbox.it.bench;

import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import dev.k3sbox.helm.render.ChartRenderer;
import dev.k3sbox.helm.render.RenderSpec;
import dev.k3sbox.helm.render.RenderedChart;
import dev.k3sbox.it.support.Cli;
import dev.k3sbox.it.support.GeneratedChart;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark behind {@code scripts/bench-validate}: one generated chart of N objects, validated
 * three ways against the same API server, each timed as the median of a few runs after {@code
 * bench.warmups} untimed ones (5 by default).
 *
 * <p>Usage: {@code BenchValidate KUBECONFIG "KUBECTL COMMAND" [OBJECTS] [RUNS]}; the kubectl
 * command reads the manifest on stdin (e.g. {@code docker exec -i C kubectl}).
 */
public final class BenchValidate {
  private static final int WARMUPS = Integer.getInteger("bench.warmups", 5);

  private BenchValidate() {}

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("bench.generateOnly")) {
      // The script times a fresh `k3sbox validate` process on the same chart.
      GeneratedChart.of(Path.of(args[0]), args.length > 2 ? Integer.parseInt(args[2]) : 500);
      return;
    }
    Path kubeconfig = Path.of(args[0]);
    List<String> kubectl = Arrays.asList(args[1].trim().split("\\s+"));
    int objects = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;

    Path chart = GeneratedChart.of(Files.createTempDirectory("bench-chart"), objects);
    RenderedChart rendered = new ChartRenderer(HelmListener.NONE).render(RenderSpec.of(chart));
    List<ManifestObject> parsed = new ManifestParser().parse(rendered);
    System.out.printf(
        "chart %s: %d objects; %d warm-up runs before each timing%n",
        chart, parsed.size(), WARMUPS);

    long k3sbox =
        median(
            runs,
            () -> {
              Cli run =
                  Cli.run(
                      "validate", chart.toString(), "--kubeconfig", kubeconfig.toString(), "-q");
              if (run.exitCode() != 0) {
                throw new IllegalStateException("k3sbox validate failed: " + run.err() + run.out());
              }
            });
    long kubectlTime = median(runs, () -> kubectlDryRun(kubectl, rendered.manifestText()));
    long fabric8;
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig), null))
            .build()) {
      fabric8 = median(runs, () -> oneAtATime(client, parsed));
    }

    String kubectlFile = System.getProperty("bench.kubectlMillisFile");
    if (kubectlFile != null) {
      Files.writeString(Path.of(kubectlFile), Long.toString(kubectlTime));
    }
    System.out.printf("k3sbox validate, warm JVM (render + dry-run):      %6d ms%n", k3sbox);
    System.out.printf(
        "kubectl apply --dry-run=server:                    %6d ms  (%.1fx k3sbox)%n",
        kubectlTime, (double) kubectlTime / k3sbox);
    System.out.printf(
        "fabric8, one object at a time:                     %6d ms  (%.1fx k3sbox)%n",
        fabric8, (double) fabric8 / k3sbox);
  }

  private static void kubectlDryRun(List<String> kubectl, String manifest) {
    List<String> command = new ArrayList<>(kubectl);
    command.addAll(List.of("apply", "--dry-run=server", "-f", "-", "-n", "default"));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(manifest.getBytes(StandardCharsets.UTF_8));
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("kubectl failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What a plain fabric8 program does: one dry-run server-side apply after another. */
  private static void oneAtATime(KubernetesClient client, List<ManifestObject> objects) {
    for (ManifestObject o : objects) {
      client
          .resource(o.resource())
          .inNamespace("default")
          .dryRun()
          .fieldManager("bench")
          .forceConflicts()
          .serverSideApply();
    }
  }

  private static long median(int runs, Runnable body) {
    // Warm-ups: the JIT compiles the hot paths, the API server fills its caches. kubectl is a Go
    // binary, compiled ahead of time; a JVM is only at its steady speed after a few runs.
    for (int i = 0; i < WARMUPS; i++) {
      body.run();
    }
    long[] times = new long[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      body.run();
      times[i] = (System.nanoTime() - start) / 1_000_000;
    }
    Arrays.sort(times);
    return times[runs / 2];
  }
}
