package dev.k3sbox.cli.command;

import dev.k3sbox.cli.K3sbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** One run of the real command line with captured stdout and stderr, for the command tests. */
public record CliRun(int exitCode, String out, String err) {

  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = K3sbox.newCommandLine(args); // as main builds it
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** A one-template chart, enough for everything that happens before a cluster is contacted. */
  static Path chart(Path dir) throws IOException {
    Path chart = dir.resolve("demo");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
    Files.writeString(
        chart.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n");
    return chart;
  }

  /** A kubeconfig pointing at a port nothing listens on. */
  static Path unreachableKubeconfig(Path dir) throws IOException {
    Path file = dir.resolve("unreachable.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: none, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
        users: [{name: none, user: {token: t}}]
        contexts: [{name: none, context: {cluster: none, user: none}}]
        current-context: none
        """);
    return file;
  }
}
