package dev.k3sbox.core.cluster;

import static org.awaitility.Awaitility.await;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.api.ApiServer;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerState;
import dev.k3sbox.core.engine.ExitWatch;
import dev.k3sbox.core.kubeconfig.Kubeconfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until a server container is ready: it has booted far enough to have a kubeconfig ({@link
 * BootProbe}, which costs the daemon nothing), its kubeconfig exists, {@code /readyz} answers 200
 * through it from this host, and the default service account exists (pods in namespace default need
 * it). Fails fast, with the server's last log lines, when the container exits or restarts instead
 * of waiting out the timeout (the engine's {@link ExitWatch}).
 */
final class ServerReadiness implements ClusterUp.Readiness {
  private static final int LOG_TAIL = 20;
  private static final Duration POLL = Duration.ofMillis(50);
  // Once /readyz answers, the default service account is tens of milliseconds away at most (the
  // stand-in makes it at once, k3s's controller manager ~0.1 s later) and each poll's wait is on
  // the way to a ready cluster; before, every poll's CPU is taken from a server booting on the
  // same cores.
  private static final Duration POLL_FOR_ACCOUNT = Duration.ofMillis(10);
  // A crash is noticed within this where the engine's watch of deaths has ended (ExitWatch). Each
  // inspection takes CPU from the booting server, in the daemon and in this JVM: not every poll.
  private static final Duration INSPECT_EVERY = Duration.ofSeconds(1);
  // How often to look for the kubeconfig while the server's stage is unclear (BootProbe).
  private static final Duration COPY_EVERY = Duration.ofMillis(500);

  private final ContainerEngine engine;
  private final Progress progress;
  private final java.util.Set<String> announced = new java.util.HashSet<>();

  ServerReadiness(ContainerEngine engine, Progress progress) {
    this.engine = engine;
    this.progress = progress;
  }

  /** Waits for the server; its kubeconfig's URL is rewritten to {@code serverUrl}. */
  @Override
  public ClusterUp.Ready awaitReady(ServerInstance container, String serverUrl, Duration timeout) {
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
    try (ExitWatch exits = engine.watchExits(containerId, container.eventsSince())) {
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
          Failure.TIMEOUT,
          "the cluster was not ready after "
              + timeout.toSeconds()
              + "s ("
              + phase.get()
              + "); raise --timeout, or see `k3sbox logs`",
          e);
    }
    return new ClusterUp.Ready(kubeconfig.get(), api.get().version());
  }

  Optional<Kubeconfig> readKubeconfig(String containerId) {
    return engine
        .readFile(containerId, ServerRecipe.KUBECONFIG_PATH)
        .map(yaml -> Kubeconfig.parse(yaml, ServerRecipe.KUBECONFIG_PATH + " in the container"));
  }

  /** Asks the engine directly: only once its watch of deaths has gone blind. */
  private void failIfNotRunning(ServerInstance container) {
    Optional<ContainerState> found = engine.inspect(container.id());
    if (found.isEmpty()) {
      throw exited(container.id(), "unknown (its container was removed)");
    }
    if (Crashes.diedSince(container, found.get())) {
      throw exited(container.id(), String.valueOf(found.get().exitCode()));
    }
  }

  private K3sboxException exited(String containerId, String exitCode) {
    List<String> tail = showLogTail(containerId);
    String last = tail.isEmpty() ? "no log output" : tail.get(tail.size() - 1);
    return new K3sboxException(
        Failure.UNAVAILABLE,
        "the k3s server exited with code "
            + exitCode
            + " before it was ready: "
            + last
            + " (its last log lines are above; `k3sbox doctor` shows what this sandbox allows;"
            + " an agentless server runs without privilege, but if this one needs it here,"
            + " `up --privileged=always` grants it)");
  }

  private List<String> showLogTail(String containerId) {
    List<String> tail = new java.util.ArrayList<>();
    try {
      engine.logs(containerId, false, LOG_TAIL, line -> tail.add(line.stripTrailing()), 10);
    } catch (RuntimeException e) {
      // the log is a courtesy in an error report; its absence must not hide the error
    }
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
