package dev.k3sbox.cli.training;

import dev.k3sbox.cli.K3sbox;
import dev.k3sbox.core.api.ApiServer;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.parse.ManifestParser;
import dev.k3sbox.helm.render.ChartRenderer;
import dev.k3sbox.helm.render.RenderSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a command: the workload the {@code ./k3sbox} launcher runs once after each build under {@code
 * -XX:ArchiveClassesAtExit}, so that its application class-data archives hold the classes a command
 * loads. Two archives, one a command family, picked by the launcher from the first argument:
 *
 * <ul>
 *   <li>{@code lifecycle} (up, down, status, ...): a real {@code status}, {@code up} and {@code
 *       down} against {@link TrainingDocker}, a daemon that answers what a cold {@code up} asks and
 *       whose server dies as it boots (so {@code up} also waits, reads its log and rolls back); 25
 *       MB. An archive is mapped and relocated whole at every start: one of 50 MB for both families
 *       cost each lifecycle command ~18 ms before {@code main} over one of 17 MB
 *       (-Xlog:startuptime).
 *   <li>{@code helm} (validate, template, install, uninstall): a {@code template} of a one-object
 *       chart, its manifest parsed, a {@code validate} that fails to reach a closed port, and one
 *       against {@link TrainingKubeApi}, which answers it over HTTP/2 as an API server does (a
 *       validate then read 174 classes from jars, not 665, and took 1.15 s, not 1.25). Trained on
 *       {@code status} alone, a cold {@code validate} of 500 objects took 3.9–4.6 s; with this,
 *       3.0–3.4 s ({@code scripts/bench-validate}).
 * </ul>
 *
 * <p>The launcher runs it in a scratch folder it names as the argument after the family, with
 * {@code HOME}, {@code K3SBOX_HOME}, {@code KUBECONFIG} and {@code DOCKER_HOST} pointing into it:
 * nothing is written anywhere else, and no real daemon is asked anything. Elsewhere it refuses to
 * run. With {@code K3SBOX_TRAINING_SHOW} set it shows what the commands print ({@code
 * CdsTrainingTest} reads that to check that the training reaches as far into {@code up} as meant).
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    String family = args.length > 0 ? args[0] : "lifecycle";
    Path dir = args.length > 1 ? Path.of(args[1]).toAbsolutePath() : null;
    if (dir == null || !Files.isDirectory(dir) || !scratchEnvironmentIn(dir)) {
      System.err.println(
          "CdsTraining runs only in the launcher's scratch folder (HOME, K3SBOX_HOME, KUBECONFIG"
              + " and DOCKER_HOST inside the folder named after the family)");
      System.exit(2);
    }
    PrintStream out = System.out;
    PrintStream err = System.err;
    try (PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream())) {
      if (System.getenv("K3SBOX_TRAINING_SHOW") == null) {
        System.setOut(nowhere);
      }
      if (System.getenv("K3SBOX_TRAINING_SHOW") == null) {
        System.setErr(nowhere);
      }
      switch (family) {
        case "lifecycle" -> {
          int apiPort = freePortPair();
          try (TrainingDocker docker = TrainingDocker.serve(dir.resolve("docker.sock"), apiPort)) {
            K3sbox.run("status", "--name", "cds-training");
            K3sbox.run(
                "up",
                "--name",
                "cds-training",
                "--api-port",
                Integer.toString(apiPort),
                "--timeout",
                "30s");
            K3sbox.run("status", "--name", "cds-training");
            K3sbox.run("down", "--name", "cds-training");
          }
        }
        case "helm" -> helm(dir);
        default -> throw new IllegalArgumentException("no training for " + family);
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /**
   * The chart commands' workload: a {@code template} and two {@code validate}s of a one-object
   * chart in {@code dir}, one at a closed port and one against {@link TrainingKubeApi}, then a
   * matrix's readiness check of a server against {@link TrainingApiServer}. The warm JVM runs it
   * too, before it serves a command: it writes into {@code dir} only (and makes k3sbox's empty
   * chart cache folder, as any validate does), and asks no real server anything.
   */
  public static void helm(Path dir) throws IOException {
    // Rendered by Helm's engine when there is one, then parsed as validate parses it: the
    // validate below fails at the closed port before its render is parsed.
    Path chart = chart(dir);
    K3sbox.run("template", chart.toString(), "--offline", "-q");
    new ManifestParser().parse(new ChartRenderer(HelmListener.NONE).render(RenderSpec.of(chart)));
    K3sbox.run(
        "validate",
        chart.toString(),
        "--kubeconfig",
        unreachableKubeconfig(dir).toString(),
        "-o",
        "json");
    try (TrainingKubeApi api = TrainingKubeApi.serve()) {
      // Offline render flags: the chart is rendered by the engine without asking the server.
      K3sbox.run(
          "validate",
          chart.toString(),
          "--kubeconfig",
          api.kubeconfig(dir).toString(),
          "--kube-version",
          "1.35.4",
          "--api-versions",
          "v1");
    } catch (Exception e) {
      // no HTTP/2 server here: the archive lacks the answered path, nothing else
      if (System.getenv("K3SBOX_TRAINING_SHOW") != null) {
        e.printStackTrace();
      }
    }
    // The readiness check a matrix makes of each of its servers before it renders (as an upgrade
    // check of its own): ApiServer, its JSON binding and the JDK's HTTPS client, which a plain
    // validate never loads. Without it a cold matrix read 889 classes from jars, a plain
    // validate 256.
    int port = freePortPair();
    try (TrainingApiServer server = TrainingApiServer.serve(port)) {
      String url = "https://127.0.0.1:" + port;
      new ApiServer(Kubeconfig.parse(TrainingApiServer.kubeconfig(url), "training")).ready();
    }
  }

  private static boolean scratchEnvironmentIn(Path dir) {
    return ("unix://" + dir.resolve("docker.sock")).equals(System.getenv("DOCKER_HOST"))
        && inside(dir, "HOME")
        && inside(dir, "K3SBOX_HOME")
        && inside(dir, "KUBECONFIG");
  }

  private static boolean inside(Path dir, String variable) {
    String value = System.getenv(variable);
    return value != null && Path.of(value).toAbsolutePath().normalize().startsWith(dir);
  }

  /**
   * A loopback port whose next one is free too: {@code up} checks both (the supervisor's and the
   * kube-apiserver's, the API port + 1), and a busy + 1 would end the training at its port check.
   */
  private static int freePortPair() throws IOException {
    java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 50; attempt++) {
      try (java.net.ServerSocket api = new java.net.ServerSocket(0, 1, loopback)) {
        int port = api.getLocalPort();
        if (port < 65535) {
          try (java.net.ServerSocket next = new java.net.ServerSocket(port + 1, 1, loopback)) {
            return port;
          } catch (IOException taken) {
            // another pair
          }
        }
      }
    }
    throw new IOException("no two free neighbouring ports on loopback");
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

  /** Port 1 on loopback: refused at once, after fabric8 has built its client and TLS set-up. */
  private static Path unreachableKubeconfig(Path dir) throws IOException {
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
}
