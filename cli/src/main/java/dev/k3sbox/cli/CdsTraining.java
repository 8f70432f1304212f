package dev.k3sbox.cli;

import dev.k3sbox.core.cluster.UpRehearsal;
import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.parse.ManifestParser;
import dev.k3sbox.helm.render.ChartRenderer;
import dev.k3sbox.helm.render.RenderSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Not a command: the workload the {@code ./k3sbox} launcher runs once after each build under {@code
 * -XX:ArchiveClassesAtExit}, so that its application class-data archives hold the classes a command
 * loads. Two archives, one a command family, picked by the launcher from the first argument:
 *
 * <ul>
 *   <li>{@code lifecycle} (up, down, status, ...): a {@code status}, the parse of an {@code up}
 *       command line, and {@link UpRehearsal}, the Docker, TLS and waiting code of {@code up} run
 *       without a daemon or a server; 25 MB. An archive is mapped and relocated whole at every
 *       start: one of 50 MB for both families cost each lifecycle command ~18 ms before {@code
 *       main} over one of 17 MB (-Xlog:startuptime).
 *   <li>{@code helm} (validate, template, install, uninstall): a {@code template} of a one-object
 *       chart, its manifest parsed, and a {@code validate} that fails to reach a closed port, which
 *       loads Helm's engine call, Jackson, fabric8 and its HTTP stack. Trained on {@code status}
 *       alone, a cold {@code validate} of 500 objects took 3.9–4.6 s; with this, 3.0–3.4 s ({@code
 *       scripts/bench-validate}).
 * </ul>
 *
 * <p>Nothing is written anywhere but a temporary folder.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    String family = args.length > 0 ? args[0] : "lifecycle";
    Path dir = Files.createTempDirectory("k3sbox-cds-training");
    PrintStream out = System.out;
    PrintStream err = System.err;
    try (PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream())) {
      System.setOut(nowhere);
      System.setErr(nowhere);
      switch (family) {
        case "lifecycle" -> {
          K3sbox.run("status", "--name", "cds-training", "-q");
          String[] up = {"up", "--name", "cds-training", "--timeout", "1m", "--no-merge"};
          K3sbox.newCommandLine(up).parseArgs(up); // its model and converters; not run
          UpRehearsal.run(dir);
        }
        case "helm" -> {
          // Rendered by Helm's engine when there is one, then parsed as validate parses it: the
          // validate below fails at the closed port before its render is parsed.
          Path chart = chart(dir);
          K3sbox.run("template", chart.toString(), "--offline", "-q");
          new ManifestParser()
              .parse(new ChartRenderer(HelmListener.NONE).render(RenderSpec.of(chart)));
          K3sbox.run(
              "validate",
              chart.toString(),
              "--kubeconfig",
              unreachableKubeconfig(dir).toString(),
              "-o",
              "json");
        }
        default -> throw new IllegalArgumentException("no training for " + family);
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
      deleteTree(dir);
    }
  }

  private static Path chart(Path dir) throws IOException {
    Path chart = dir.resolve("chart");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: cds\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("values.yaml"), "value: one\n");
    Files.writeString(
        chart.resolve("templates/configmap.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
            + "data:\n  value: {{ .Values.value | quote }}\n");
    return chart;
  }

  /**
   * Port 1 on loopback: refused at once, after fabric8 has built its client and TLS set-up. The
   * CLI's tests use it too, for the cluster-unreachable path.
   */
  public static Path unreachableKubeconfig(Path dir) throws IOException {
    Path file = dir.resolve("kubeconfig.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: cds
          cluster:
            server: https://127.0.0.1:1
            insecure-skip-tls-verify: true
        users:
        - name: cds
          user:
            token: cds-training
        contexts:
        - name: cds
          context: {cluster: cds, user: cds}
        current-context: cds
        """);
    return file;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
