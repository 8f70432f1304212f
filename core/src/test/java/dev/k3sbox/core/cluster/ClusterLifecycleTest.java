package dev.k3sbox.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.RecordedProgress;
import dev.k3sbox.core.engine.ContainerSpec;
import dev.k3sbox.core.engine.FakeEngine;
import dev.k3sbox.core.engine.FakeEngines;
import dev.k3sbox.core.image.ServerImage;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import dev.k3sbox.core.kubeconfig.KubeconfigMerger;
import dev.k3sbox.core.state.StateDir;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decisions of {@code up}, {@code down} and {@code status} against an engine in memory: what is
 * created, reused, started, recreated, refused and rolled back. The same paths on a real daemon and
 * server are the reliability integration tests'.
 */
class ClusterLifecycleTest {
  private static final String NAME = "dev";

  @TempDir Path home;
  private final FakeEngines engines = new FakeEngines();
  private final FakeEngine engine = engines.engine;
  private final RecordedProgress progress = new RecordedProgress();
  private final List<String> said = progress.said;
  private Function<ServerInstance, ClusterUp.Ready> readiness =
      server ->
          new ClusterUp.Ready(
              new Kubeconfig("https://127.0.0.1:1", "ca", "cert", "key", null),
              Optional.of("v1.35.4+k3sbox"));
  private ClusterManager clusters;
  private int port;

  @BeforeEach
  void setUp() {
    StateDir stateDir = new StateDir(home.resolve("k3sbox"));
    clusters =
        new ClusterManager(
            stateDir,
            progress,
            "test",
            new KubeconfigMerger(List.of(home.resolve("kubeconfig"))),
            engines,
            (engine, progress) -> (server, url, timeout) -> readiness.apply(server));
    int from = 21000 + 2 * ThreadLocalRandom.current().nextInt(2000);
    port = ClusterManager.freeApiPort(spec().apiPort(from).build()).orElseThrow();
  }

  private ClusterSpec.Builder spec() {
    return ClusterSpec.builder(NAME).apiPort(port).mergeKubeconfig(false);
  }

  private FakeEngine.Container server() {
    return engine.named(ClusterName.container(NAME)).orElseThrow();
  }

  /** A server container and volume as an earlier {@code up} of this cluster left them. */
  private FakeEngine.Container earlierServer(boolean running) {
    Map<String, String> labels = new HashMap<>(earlierLabels());
    labels.put(Labels.ROLE, "server");
    labels.put(Labels.API_PORT, Integer.toString(port));
    labels.put(Labels.BIND, "127.0.0.1");
    labels.put(Labels.NETWORK, "host");
    labels.put(Labels.PRIVILEGE, "none");
    FakeEngine.Container c = engine.add(container(ClusterName.container(NAME), labels));
    c.running = running;
    c.startedAt = running ? Instant.now().minusSeconds(3600).toString() : null;
    engine.volumes.put(ClusterName.volume(NAME), new HashMap<>(earlierLabels()));
    return c;
  }

  private static Map<String, String> earlierLabels() {
    return Map.of(
        Labels.MANAGED,
        "true",
        Labels.CLUSTER,
        NAME,
        Labels.INVOCATION,
        "an-earlier-run",
        Labels.SERVER_KIND,
        ServerImage.STANDIN);
  }

  private static ContainerSpec container(String name, Map<String, String> labels) {
    return new ContainerSpec(
        name,
        "k3sbox/controlplane-standin:v1.35.4",
        List.of(),
        List.of(),
        labels,
        Map.of(),
        List.of(),
        false,
        List.of(),
        List.of(),
        true,
        null);
  }

  @Test
  void shouldCreateTheServerAndItsVolumeLabelledForThisClusterAndRecordIt() throws Exception {
    ClusterRecord record = clusters.up(spec().build());

    FakeEngine.Container c = server();
    assertThat(c.running).isTrue();
    assertThat(c.spec.labels())
        .containsEntry(Labels.MANAGED, "true")
        .containsEntry(Labels.CLUSTER, NAME)
        .containsEntry(Labels.ROLE, "server")
        .containsEntry(Labels.PRIVILEGE, "none")
        .containsEntry(Labels.API_PORT, Integer.toString(port));
    assertThat(c.spec.cmd()).contains("server", "--disable-agent", "--https-listen-port=" + port);
    assertThat(engine.volumes.get(ClusterName.volume(NAME)))
        .containsEntry(Labels.CLUSTER, NAME)
        .containsEntry(Labels.SERVER_KIND, ServerImage.STANDIN);
    assertThat(record.containerId()).isEqualTo(c.id);
    assertThat(record.kubernetesVersion()).isEqualTo("v1.35.4+k3sbox");
    Path kubeconfig = home.resolve("k3sbox/clusters/dev/kubeconfig.yaml");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)))
        .isEqualTo("rw-------");
    assertThat(clusters.recorded(NAME)).hasValue(record);
  }

  @Test
  void shouldStartAServerWithoutWaitingForItAndLetTheNextUpFinishIt() {
    readiness =
        server -> {
          throw new AssertionError("start must not wait for the server");
        };

    clusters.start(spec().build());

    FakeEngine.Container c = server();
    assertThat(c.running).isTrue();
    assertThat(clusters.started(NAME))
        .hasValueSatisfying(
            s -> {
              assertThat(s.id()).isEqualTo(c.id);
              assertThat(s.apiPort()).isEqualTo(port);
              assertThat(s.running()).isTrue();
            });
    assertThat(clusters.recorded(NAME)).isEmpty();
    assertThat(clusters.status(NAME).state()).isEqualTo("started");

    // When: the next up of it, which waits
    readiness =
        server ->
            new ClusterUp.Ready(
                new Kubeconfig("https://127.0.0.1:1", "ca", "cert", "key", null),
                Optional.of("v1.35.4+k3sbox"));
    ClusterRecord record = clusters.up(spec().build());

    // Then: the same container, finished, not a second one
    assertThat(record.containerId()).isEqualTo(c.id);
    assertThat(engine.requests.stream().filter(r -> r.startsWith("create "))).hasSize(1);
  }

  @Test
  void shouldStartNothingWhenTheServerIsThere() {
    FakeEngine.Container before = earlierServer(true);

    clusters.start(spec().build());

    assertThat(server().id).isEqualTo(before.id);
    assertThat(engine.requests).noneMatch(r -> r.startsWith("create") || r.startsWith("start"));
  }

  @Test
  void shouldReuseARunningServerWithoutCreatingOrStartingAnything() {
    FakeEngine.Container before = earlierServer(true);

    ClusterRecord record = clusters.up(spec().build());

    assertThat(record.containerId()).isEqualTo(before.id);
    assertThat(engine.requests).noneMatch(r -> r.startsWith("create") || r.startsWith("start"));
  }

  @Test
  void shouldStartAStoppedServerOnItsData() {
    FakeEngine.Container before = earlierServer(false);

    clusters.up(spec().build());

    assertThat(engine.requests)
        .contains("start " + before.id)
        .noneMatch(r -> r.startsWith("create"));
    assertThat(before.running).isTrue();
  }

  @Test
  void shouldRecreateACrashLoopingServerOnTheSameDataVolume() {
    FakeEngine.Container looping = earlierServer(false);
    looping.restarting = true;
    looping.restartCount = 5;

    clusters.up(spec().build());

    assertThat(engine.requests)
        .containsSubsequence("stop " + looping.id, "remove " + looping.id, "create k3sbox-dev");
    assertThat(server().id).isNotEqualTo(looping.id);
    assertThat(engine.volumes.get(ClusterName.volume(NAME)))
        .containsEntry(Labels.INVOCATION, "an-earlier-run");
    assertThat(said).anyMatch(s -> s.contains("is crash-looping (5 restarts)"));
    assertThat(said).anyMatch(s -> s.contains("reusing the data volume"));
  }

  @Test
  void shouldRepairAServerRemovedBehindItsBackOnTheKeptVolume() {
    engine.volumes.put(ClusterName.volume(NAME), new HashMap<>(earlierLabels()));

    clusters.up(spec().build());

    assertThat(server().running).isTrue();
    assertThat(said).anyMatch(s -> s.contains("reusing the data volume k3sbox-dev-data"));
  }

  @Test
  void shouldNotTouchAContainerOfItsNameThatK3sboxDidNotLabel() {
    FakeEngine.Container foreign = engine.add(container(ClusterName.container(NAME), Map.of()));

    assertThatThrownBy(() -> clusters.up(spec().build()))
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("exists but k3sbox did not label it");

    assertThat(engine.containers).containsOnlyKeys(foreign.id);
    assertThat(engine.volumes).isEmpty();
  }

  @Test
  void shouldNotUseAVolumeOfItsNameThatK3sboxDidNotLabel() {
    engine.volumes.put(ClusterName.volume(NAME), new HashMap<>(Map.of("owner", "someone")));

    assertThatThrownBy(() -> clusters.up(spec().build()))
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("a volume named k3sbox-dev-data exists but k3sbox did not label it");

    assertThat(engine.containers).isEmpty();
    assertThat(engine.volumes.get(ClusterName.volume(NAME))).containsOnlyKeys("owner");
  }

  @Test
  void shouldRefuseABusyPortBeforeCreatingAnything() throws Exception {
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> clusters.up(spec().build()))
          .isInstanceOfSatisfying(
              K3sboxException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PORT_IN_USE))
          .hasMessageContaining("port " + port + " on 127.0.0.1 is in use")
          .hasMessageContaining("--api-port");
    }
    assertThat(engine.requests).noneMatch(r -> r.startsWith("create"));
  }

  @Test
  void shouldFallBackFromNoPrivilegeToPrivilegedWhereThePlainerOnesAreRefused() {
    engines.image = new ServerImage("rancher/k3s:v1.33.1-k3s1", false, ServerImage.K3S);
    engine.refuseStart =
        s -> s.privileged() ? null : "unable to apply caps: operation not permitted";

    clusters.up(spec().build());

    assertThat(engine.containers).hasSize(1); // the refused ones removed
    assertThat(server().spec.privileged()).isTrue();
    assertThat(server().spec.labels()).containsEntry(Labels.PRIVILEGE, "privileged");
    assertThat(said)
        .anyMatch(s -> s.contains("privilege none refused here"))
        .anyMatch(s -> s.contains("privilege capabilities refused here"));
  }

  @Test
  void shouldSayWhatFailedWhenThePrivilegeAskedForIsRefused() {
    engine.refuseStart = s -> "unable to apply caps: operation not permitted";

    assertThatThrownBy(() -> clusters.up(spec().privilegeMode(PrivilegeMode.ALWAYS).build()))
        .hasMessageContaining(
            "did not start with privilege privileged: unable to apply caps: operation not"
                + " permitted; try --privileged=auto");

    assertThat(engine.containers).isEmpty();
    assertThat(engine.volumes).isEmpty(); // rolled back: this run made it
  }

  @Test
  void shouldDropACapabilityTheDaemonDoesNotKnowAndAskAgain() {
    engine.unknownCapabilities = Set.of("PERFMON");
    ServerCreation creation =
        new ServerCreation(engine, Progress.NONE, () -> List.of("SYS_ADMIN", "PERFMON"));
    engine.refuseStart = s -> s.capAdd().isEmpty() ? "refused without capabilities" : null;

    ServerInstance server =
        creation.createAndStart(
            spec().build(),
            new ServerImage("rancher/k3s:v1.33.1-k3s1", false, ServerImage.K3S),
            Map.of(Labels.MANAGED, "true"));

    assertThat(engine.containers.get(server.id()).spec.capAdd()).containsExactly("SYS_ADMIN");
  }

  @Test
  void shouldRollBackWhatThisRunCreatedWhenTheServerIsNeverReady() {
    readiness =
        server -> {
          throw new K3sboxException(Failure.TIMEOUT, "the cluster was not ready after 1s");
        };

    assertThatThrownBy(() -> clusters.up(spec().build())).hasMessageContaining("not ready");

    assertThat(engine.containers).isEmpty();
    assertThat(engine.volumes).isEmpty();
    assertThat(clusters.recorded(NAME)).isEmpty();
  }

  @Test
  void shouldKeepAFailedClusterForDebuggingWhenAsked() {
    readiness =
        server -> {
          throw new K3sboxException(Failure.TIMEOUT, "the cluster was not ready after 1s");
        };

    assertThatThrownBy(() -> clusters.up(spec().keepOnFailure(true).build()))
        .hasMessageContaining("not ready");

    assertThat(engine.containers).hasSize(1);
    assertThat(engine.volumes).containsOnlyKeys(ClusterName.volume(NAME));
    assertThat(said).anyMatch(s -> s.contains("kept the failed cluster for debugging"));
  }

  @Test
  void shouldNeverRollBackAClusterThatExistedBefore() {
    FakeEngine.Container before = earlierServer(true);
    readiness =
        server -> {
          throw new K3sboxException(Failure.TIMEOUT, "the cluster was not ready after 1s");
        };

    assertThatThrownBy(() -> clusters.up(spec().build()))
        .hasMessageContaining("if its data is damaged, `k3sbox down --name dev`");

    assertThat(engine.containers).containsOnlyKeys(before.id);
    assertThat(engine.volumes).containsOnlyKeys(ClusterName.volume(NAME));
  }

  @Test
  void shouldRemoveOnlyTheNamedClustersContainersAndVolumes() {
    clusters.up(spec().build());
    Map<String, String> other = new HashMap<>(earlierLabels());
    other.put(Labels.CLUSTER, "other");
    engine.add(container(ClusterName.container("other"), other));
    engine.volumes.put(ClusterName.volume("other"), other);

    List<String> removed = clusters.down(List.of(NAME), ClusterManager.Scope.NAMED, false, false);

    assertThat(removed).containsExactly(NAME);
    assertThat(engine.named(ClusterName.container(NAME))).isEmpty();
    assertThat(engine.named(ClusterName.container("other"))).isPresent();
    assertThat(engine.volumes).containsOnlyKeys(ClusterName.volume("other"));
    assertThat(Files.exists(home.resolve("k3sbox/clusters/dev"))).isFalse();
  }

  @Test
  void shouldKeepTheDataVolumeWhenAsked() {
    clusters.up(spec().build());

    clusters.down(List.of(NAME), ClusterManager.Scope.NAMED, true, false);

    assertThat(engine.containers).isEmpty();
    assertThat(engine.volumes).containsOnlyKeys(ClusterName.volume(NAME));
  }

  @Test
  void shouldCountOnlyThisStateDirsClustersForDownAll() {
    Map<String, String> elsewhere = new HashMap<>(earlierLabels());
    elsewhere.put(Labels.CLUSTER, "theirs");
    elsewhere.put(Labels.STATE_DIR, "/home/someone-else/.k3sbox");
    engine.add(container(ClusterName.container("theirs"), elsewhere));
    clusters.up(spec().build());

    List<String> removed = clusters.down(List.of(), ClusterManager.Scope.STATE_DIR, false, false);

    assertThat(removed).containsExactly(NAME);
    assertThat(engine.named(ClusterName.container("theirs"))).isPresent();
  }

  @Test
  void shouldCallAStoppedServerStoppedWithItsExitCode() {
    FakeEngine.Container c = earlierServer(false);
    c.exitCode = 137;

    ClusterStatus status = clusters.status(NAME);

    assertThat(status.state()).isEqualTo("stopped");
    assertThat(status.detail()).contains("exited with code 137");
  }

  @Test
  void shouldSayFromTheRecordWhatIsKnownWhenTheEngineIsDown() {
    clusters.up(spec().build());
    engines.running = false;

    ClusterStatus status = clusters.status(NAME);

    assertThat(status.state()).isEqualTo("stopped");
    assertThat(status.detail()).contains("the Docker daemon is not running");
  }
}
