package dev.k3sbox.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real k3sbox CLI in a child JVM, with its own K3SBOX_HOME and KUBECONFIG so a test never
 * touches the user's clusters or kubeconfig, and so it can be killed like a real process.
 */
public final class K3sboxProcess {
  private final Path home;
  private final Path kubeconfig;

  public K3sboxProcess(Path dir) {
    this.home = dir.resolve("k3sbox-home");
    this.kubeconfig = dir.resolve("kube").resolve("config");
  }

  public Path home() {
    return home;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path clusterKubeconfig(String name) {
    return home.resolve("clusters").resolve(name).resolve("kubeconfig.yaml");
  }

  /**
   * A Kubernetes client for a cluster this k3sbox made, through the kubeconfig {@code up} wrote.
   */
  public io.fabric8.kubernetes.client.KubernetesClient client(String cluster) throws IOException {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(
            io.fabric8.kubernetes.client.Config.fromKubeconfig(
                Files.readString(clusterKubeconfig(cluster))))
        .build();
  }

  /**
   * Creates ConfigMap default/survivor (k=v) in a cluster: the object tests expect to outlive
   * container restarts, removals and daemon loss.
   */
  public void createSurvivor(String cluster) throws IOException {
    try (var client = client(cluster)) {
      client
          .configMaps()
          .inNamespace("default")
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("survivor")
                  .endMetadata()
                  .addToData("k", "v")
                  .build())
          .create();
    }
  }

  /** The value of key k in ConfigMap default/survivor, or null when it is gone. */
  public String survivor(String cluster) throws IOException {
    try (var client = client(cluster)) {
      var cm = client.configMaps().inNamespace("default").withName("survivor").get();
      return cm == null ? null : cm.getData().get("k");
    }
  }

  /** Runs to completion (at most 5 minutes). */
  public Result run(String... args) {
    try {
      Process p = start(args);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(
            "k3sbox " + String.join(" ", args) + " did not finish in 5 minutes");
      }
      return result(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts without waiting; stdout and stderr go to files read by {@link #result}. */
  public Process start(String... args) throws IOException {
    Files.createDirectories(home);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.k3sbox.cli.K3sbox");
    command.addAll(List.of(args));
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.put("K3SBOX_HOME", home.toString());
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("NO_COLOR", "1");
    Process p = pb.start();
    OUTPUTS.put(p, new Path[] {out, err});
    return p;
  }

  private static final Map<Process, Path[]> OUTPUTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The file a started process writes its stderr (progress lines) to. */
  public Path stderrOf(Process p) {
    return OUTPUTS.get(p)[1];
  }

  public static Result result(Process p) throws IOException {
    Path[] files = OUTPUTS.remove(p);
    return new Result(
        p.exitValue(),
        Files.readString(files[0], StandardCharsets.UTF_8),
        Files.readString(files[1], StandardCharsets.UTF_8));
  }

  /** A finished run: exit code and what it printed. */
  public record Result(int exitCode, String out, String err) {
    /** The lines starting with "error:" on stderr. */
    public List<String> errorLines() {
      return err.lines().filter(l -> l.startsWith("error:")).toList();
    }
  }
}
