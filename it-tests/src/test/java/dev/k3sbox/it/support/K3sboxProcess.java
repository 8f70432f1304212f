package dev.k3sbox.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.cli.K3sbox;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real k3sbox CLI in a child JVM ({@link ChildJvm}), with its own K3SBOX_HOME and KUBECONFIG so
 * a test never touches the user's clusters or kubeconfig, and so it can be killed like a real
 * process. What it prints goes to files beside the home, not into it.
 */
public final class K3sboxProcess {
  private final Path dir;
  private final Path home;
  private final Path kubeconfig;

  public K3sboxProcess(Path dir) {
    this.dir = dir;
    this.home = dir.resolve("k3sbox-home");
    this.kubeconfig = dir.resolve("kube").resolve("config");
  }

  public Path home() {
    return home;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Writes the user's kubeconfig ({@link #kubeconfig()}) as it stands before a run. */
  public void writeKubeconfig(String yaml) throws IOException {
    Files.createDirectories(kubeconfig.getParent());
    Files.writeString(kubeconfig, yaml);
  }

  /** What k3sbox keeps in its home, laid out as k3sbox lays it out. */
  public StateDir state() {
    return new StateDir(home);
  }

  /**
   * A Kubernetes client for a cluster this k3sbox made, through the kubeconfig {@code up} wrote.
   */
  public io.fabric8.kubernetes.client.KubernetesClient client(String cluster) throws IOException {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(
            io.fabric8.kubernetes.client.Config.fromKubeconfig(
                Files.readString(state().kubeconfig(cluster))))
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

  /**
   * A cluster made afresh for one test: what an earlier run left under {@code name} is purged, then
   * {@code up} on the server image must succeed. Returns the server container's id.
   */
  public String freshCluster(String name, int apiPort) {
    DockerState.purge(name);
    ChildJvm.Result up =
        run(
            "up",
            "--name",
            name,
            "--api-port",
            Integer.toString(apiPort),
            "--image",
            SharedK3s.image());
    assertThat(up.exitCode()).as(up.err()).isZero();
    return DockerState.containers(name).get(0).getId();
  }

  private Map<String, String> extraEnv = Map.of();

  /** The same process with {@code env} added to (or overriding) every run's environment. */
  public K3sboxProcess withEnv(Map<String, String> env) {
    this.extraEnv = Map.copyOf(env);
    return this;
  }

  /** Runs to completion (at most 5 minutes). */
  public ChildJvm.Result run(String... args) {
    return start(args).await(Duration.ofMinutes(5));
  }

  /** Starts without waiting. */
  public ChildJvm start(String... args) {
    return start(Map.of(), null, args);
  }

  /** Starts under {@code umask} (none: this JVM's); {@code env} adds to or overrides its own. */
  public ChildJvm start(Map<String, String> env, String umask, String... args) {
    Map<String, String> all = new HashMap<>();
    all.put("K3SBOX_HOME", home.toString());
    all.put("KUBECONFIG", kubeconfig.toString());
    all.put("NO_COLOR", "1");
    all.putAll(extraEnv);
    all.putAll(env);
    return ChildJvm.start(dir, all, umask, K3sbox.class.getName(), args);
  }
}
