package dev.k3sbox.core.cluster;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.api.ApiServer;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until a server container is ready: it has booted far enough to have a kubeconfig ({@link
 * BootProbe}, which costs the daemon nothing), its kubeconfig exists, {@code /readyz} answers 200
 * through it from this host, and the default service account exists (pods in namespace default need
 * it). Fails fast, with the server's last log lines, when the container exits or restarts instead
 * of waiting out the timeout ({@link ServerExits}).
 */
final class ServerReadiness {
  private static final int LOG_TAIL = 20;
  private static final Duration POLL = Duration.ofMillis(50);
  // Once /readyz answers, the default service account is tens of milliseconds away at most (the
  // stand-in makes it at once, k3s's controller manager ~0.1 s later) and each poll's wait is on
  // the way to a ready cluster; before, every poll's CPU is taken from a server booting on the
  // same cores.
  private static final Duration POLL_FOR_ACCOUNT = Duration.ofMillis(10);
  // A crash is noticed within this where Docker's event stream has ended (ServerExits). Each
  // inspection takes CPU from the booting server, in the daemon and in this JVM: not every poll.
  private static final Duration INSPECT_EVERY = Duration.ofSeconds(1);
  // How often to look for the kubeconfig while the server's stage is unclear (BootProbe).
  private static final Duration COPY_EVERY = Duration.ofMillis(500);

  private final DockerClient docker;
  private final Progress progress;
  private final java.util.Set<String> announced = new java.util.HashSet<>();

  ServerReadiness(DockerClient docker, Progress progress) {
    this.docker = docker;
    this.progress = progress;
  }

  /** A ready server: its kubeconfig, URL rewritten, and the client that saw it ready. */
  record Ready(Kubeconfig kubeconfig, ApiServer api) {}

  /** Waits for the server; its kubeconfig's URL is rewritten to {@code serverUrl}. */
  Ready awaitReady(ServerInstance container, String serverUrl, Duration timeout) {
    String containerId = container.id();
    AtomicReference<String> phase = new AtomicReference<>("");
    AtomicReference<Kubeconfig> kubeconfig = new AtomicReference<>();
    AtomicReference<ApiServer> api = new AtomicReference<>();
    AtomicBoolean apiReady = new AtomicBoolean();
    // The server takes seconds to boot: load and initialise TLS meanwhile, not after.
    Thread warmUp = new Thread(ApiServer::warmUp, "k3sbox-tls-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
    BootProbe boot = new BootProbe(serverUrl);
    AtomicLong lastInspect = new AtomicLong(System.nanoTime());
    AtomicLong lastCopy = new AtomicLong(System.nanoTime());
    try (ServerExits exits = ServerExits.watch(docker, container)) {
      await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval((count, previous) -> apiReady.get() ? POLL_FOR_ACCOUNT : POLL)
          .until(
              () -> {
                Optional<String> died = exits.exitCode();
                if (died.isPresent()) {
                  throw exited(containerId, died.get());
                }
                if (exits.blind()
                    && System.nanoTime() - lastInspect.get() >= INSPECT_EVERY.toNanos()) {
                  lastInspect.set(System.nanoTime());
                  failIfNotRunning(container);
                }
                if (api.get() == null) {
                  announce(phase, "waiting for the k3s server to write its kubeconfig");
                  BootProbe.Stage stage = boot.stage();
                  boolean look =
                      stage == BootProbe.Stage.READY
                          || (stage == BootProbe.Stage.SERVING
                              && System.nanoTime() - lastCopy.get() >= COPY_EVERY.toNanos());
                  if (!look) {
                    return false;
                  }
                  lastCopy.set(System.nanoTime());
                  Optional<Kubeconfig> written = readKubeconfig(containerId);
                  if (written.isEmpty()) {
                    return false;
                  }
                  kubeconfig.set(written.get().withServer(serverUrl));
                  api.set(new ApiServer(kubeconfig.get()));
                }
                announce(phase, "waiting for the API server at " + serverUrl + " (/readyz)");
                if (!api.get().ready()) {
                  return false;
                }
                apiReady.set(true);
                announce(phase, "waiting for the default service account");
                return api.get().defaultServiceAccountExists();
              });
    } catch (ConditionTimeoutException e) {
      showLogTail(containerId);
      throw new K3sboxException(
          ExitCode.TIMEOUT,
          "the cluster was not ready after "
              + timeout.toSeconds()
              + "s ("
              + phase.get()
              + "); raise --timeout, or see `k3sbox logs`",
          e);
    }
    return new Ready(kubeconfig.get(), api.get());
  }

  Optional<Kubeconfig> readKubeconfig(String containerId) {
    try (InputStream tar =
            docker
                .copyArchiveFromContainerCmd(containerId, ServerContainer.KUBECONFIG_PATH)
                .exec();
        TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
      if (in.getNextEntry() == null) {
        return Optional.empty();
      }
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Optional.of(
          Kubeconfig.parse(yaml, ServerContainer.KUBECONFIG_PATH + " in the container"));
    } catch (com.github.dockerjava.api.exception.NotFoundException | IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Asks Docker directly: only once the event stream has gone blind. Docker restarts a crashed
   * server within ~0.1 s (restart policy), so running is not enough: a restart count above zero for
   * a container this run created, or another start time than {@code up} saw, is a crash too.
   */
  private void failIfNotRunning(ServerInstance container) {
    Optional<InspectedContainer> found = InspectedContainer.inspect(docker, container.id());
    if (found.isEmpty()) {
      throw exited(container.id(), "unknown (its container was removed)");
    }
    InspectedContainer c = found.get();
    boolean restarted =
        container.startedAt() == null
            ? c.restartCount() > 0
            : !container.startedAt().equals(c.startedAt());
    if (c.running() && !c.restarting() && !restarted) {
      return;
    }
    throw exited(container.id(), String.valueOf(c.exitCode()));
  }

  private K3sboxException exited(String containerId, String exitCode) {
    List<String> tail = showLogTail(containerId);
    String last = tail.isEmpty() ? "no log output" : tail.get(tail.size() - 1);
    return new K3sboxException(
        ExitCode.UNAVAILABLE,
        "the k3s server exited with code "
            + exitCode
            + " before it was ready: "
            + last
            + " (its last log lines are above; `k3sbox doctor` shows what this sandbox allows;"
            + " an agentless server runs without privilege, but if this one needs it here,"
            + " `up --privileged=always` grants it)");
  }

  private List<String> showLogTail(String containerId) {
    List<String> tail = ContainerLogs.tail(docker, containerId, LOG_TAIL);
    if (!tail.isEmpty()) {
      progress.info("last " + tail.size() + " lines of the server's log:");
      tail.forEach(line -> progress.info("  " + line));
    }
    return tail;
  }

  /** Shows each phase once: a poll that steps back (readyz flickers) is not news. */
  private void announce(AtomicReference<String> phase, String message) {
    if (announced.add(message)) {
      phase.set(message);
      progress.step(message);
    }
  }
}
