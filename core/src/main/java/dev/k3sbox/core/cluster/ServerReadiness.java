package dev.k3sbox.core.cluster;

import static org.awaitility.Awaitility.await;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.api.ApiServer;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerState;
import dev.k3sbox.core.engine.ExitWatch;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until a server container is ready, polling its {@link ReadinessStep}s in order: its
 * kubeconfig written and copied out ({@link KubeconfigCopy}), {@code /readyz} answering through it
 * from this host ({@link ApiReadyz}), the default service account there ({@link
 * DefaultServiceAccount}). Fails fast, with the server's last log lines, when the container exits
 * or restarts instead of waiting out the timeout (the engine's {@link ExitWatch}).
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
    // The server takes seconds to boot: load and initialise TLS meanwhile, not after.
    Thread warmUp = new Thread(ApiServer::warmUp, "k3sbox-tls-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
    KubeconfigCopy copy = new KubeconfigCopy(engine, containerId, serverUrl);
    List<ReadinessStep> steps =
        List.of(copy, new ApiReadyz(serverUrl, copy::api), new DefaultServiceAccount(copy::api));
    Set<ReadinessStep> stayReached = new HashSet<>();
    AtomicReference<ReadinessStep> awaiting = new AtomicReference<>(copy);
    AtomicLong lastInspect = new AtomicLong(System.nanoTime());
    try (ExitWatch exits = engine.watchExits(containerId, container.eventsSince())) {
      await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(
              (count, previous) ->
                  awaiting.get() instanceof DefaultServiceAccount ? POLL_FOR_ACCOUNT : POLL)
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
                for (ReadinessStep step : steps) {
                  if (stayReached.contains(step)) {
                    continue;
                  }
                  awaiting.set(step);
                  announce("waiting for " + step.awaited());
                  if (!step.reached()) {
                    return false;
                  }
                  if (step.stays()) {
                    stayReached.add(step);
                  }
                }
                return true;
              });
    } catch (ConditionTimeoutException e) {
      showLogTail(containerId);
      throw new K3sboxException(
          Failure.TIMEOUT,
          "the cluster was not ready after "
              + timeout.toSeconds()
              + "s (waiting for "
              + awaiting.get().awaited()
              + "); raise --timeout, or see `k3sbox logs`",
          e);
    }
    return new ClusterUp.Ready(copy.kubeconfig(), copy.api().version());
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

  /** Shows each step once: a poll that steps back (readyz flickers) is not news. */
  private void announce(String message) {
    if (announced.add(message)) {
      progress.step(message);
    }
  }
}
