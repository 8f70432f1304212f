package dev.k3sbox.core.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.host.HostCommands;
import dev.k3sbox.core.state.SecureFiles;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds a running Docker daemon or starts one, adapting its flags to what the sandbox allows, as
 * the seed experiment did by hand: plain {@code dockerd} first; if it dies on iptables or bridge
 * set-up, {@code --iptables=false}, then {@code --bridge=none}. dockerd itself falls back from
 * overlay2 to vfs where overlayfs cannot mount.
 */
public final class DockerDaemon {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final List<List<String>> ADAPTATIONS =
      List.of(List.of(), List.of("--iptables=false"), List.of("--iptables=false", "--bridge=none"));

  private final StateDir stateDir;
  private final String host;
  private final Progress progress;

  public DockerDaemon(StateDir stateDir, String host, Progress progress) {
    this.stateDir = stateDir;
    this.host = host;
    this.progress = progress;
  }

  public static DockerDaemon fromEnvironment(StateDir stateDir, Progress progress) {
    return new DockerDaemon(stateDir, DockerClients.hostFromEnvironment(), progress);
  }

  public String host() {
    return host;
  }

  /** The daemon if one answers now; never starts or installs anything. */
  public Optional<DaemonInfo> find() {
    return pinged(host).map(this::describe);
  }

  /** A client of the daemon at {@code host} if it answers a ping now. */
  static Optional<DockerClient> pinged(String host) {
    DockerClient client = DockerClients.connect(host, Duration.ofMinutes(30));
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      DockerClients.closeQuietly(client);
      return Optional.empty();
    }
    return Optional.of(client);
  }

  /**
   * A reachable daemon: the running one, or one this call starts (installing docker.io first when
   * allowed, as root on an apt system).
   */
  public DaemonInfo ensure(boolean mayInstall) {
    Optional<DaemonInfo> running = find();
    if (running.isPresent()) {
      return running.get();
    }
    if (!DockerClients.DEFAULT_HOST.equals(host)) {
      throw new K3sboxException(
          Failure.DOCKER,
          "no Docker daemon answers at DOCKER_HOST="
              + host
              + "; start it, or unset DOCKER_HOST to let k3sbox start a local dockerd");
    }
    Path dockerd = findDockerd().orElseGet(() -> install(mayInstall));
    if (!HostCommands.isRoot()) {
      throw new K3sboxException(
          Failure.DOCKER,
          "no Docker daemon is running and starting one needs root; run `sudo "
              + dockerd
              + " &` or ask for a daemon and set DOCKER_HOST");
    }
    return start(dockerd);
  }

  /** Stops the daemon only if k3sbox started it; returns whether it did. */
  public boolean stopIfStartedByK3sbox() {
    Optional<Long> pid = startedPid();
    if (pid.isEmpty()) {
      return false;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid.get());
    handle.ifPresent(
        h -> {
          progress.step("stopping dockerd (pid " + h.pid() + ", started by k3sbox)");
          h.destroy();
          h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
          if (h.isAlive()) {
            h.destroyForcibly();
          }
        });
    forgetStarted();
    return handle.isPresent();
  }

  private DaemonInfo describe(DockerClient client) {
    return DaemonInfo.describe(client, host, () -> startedPid().isPresent());
  }

  private DaemonInfo start(Path dockerd) {
    // A dockerd may be on its way up already (another k3sbox, or one killed while starting
    // it): a second one would fail on its pid file and socket, so wait for the first.
    Optional<ProcessHandle> starting =
        ProcessHandle.allProcesses()
            .filter(h -> h.info().command().map(c -> c.endsWith("/dockerd")).orElse(false))
            .findFirst();
    if (starting.isPresent()) {
      progress.step("waiting for the dockerd that is starting (pid " + starting.get().pid() + ")");
      Optional<DaemonInfo> info = awaitDaemon(starting.get());
      if (info.isPresent()) {
        return info.get();
      }
    }
    Path dir = stateDir.ensure(stateDir.dockerd());
    Path log = dir.resolve("dockerd.log");
    String lastError = "";
    for (List<String> flags : ADAPTATIONS) {
      List<String> command = new ArrayList<>(List.of("setsid", dockerd.toString()));
      command.addAll(flags);
      Process process;
      try {
        // setsid: a Ctrl-C meant for k3sbox must not reach the daemon it leaves running.
        process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
      } catch (IOException e) {
        throw new K3sboxException(
            Failure.DOCKER, "cannot run " + dockerd + ": " + e.getMessage(), e);
      }
      // Recorded at once, not once it answers: a k3sbox killed while dockerd starts must still
      // leave the daemon known as k3sbox's, for the next run and for `down --stop-docker`.
      recordStarted(process.pid(), flags);
      progress.step("starting dockerd " + String.join(" ", flags) + " (log: " + log + ")");
      Optional<DaemonInfo> info = awaitDaemon(process.toHandle());
      if (info.isPresent()) {
        DaemonInfo started = info.get().startedByK3sbox();
        progress.info(
            "dockerd "
                + started.serverVersion()
                + " is up, storage driver "
                + started.storageDriver());
        return started;
      }
      process.destroy();
      forgetStarted();
      lastError = DaemonLog.lastError(log);
      if (!DaemonLog.isNetworkSetupFailure(lastError)) {
        break;
      }
      progress.warn(
          "dockerd failed on network set-up (" + lastError + "); retrying with fewer features");
    }
    throw new K3sboxException(
        Failure.DOCKER,
        "dockerd did not start: "
            + (lastError.isEmpty() ? "no error in its log" : lastError)
            + "; see "
            + log);
  }

  private Optional<DaemonInfo> awaitDaemon(ProcessHandle process) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      // dockerd runs under setsid, which execs it: when it exits, so does this process.
      if (!process.isAlive()) {
        return Optional.empty();
      }
      Optional<DaemonInfo> info = find();
      if (info.isPresent()) {
        return info;
      }
      try {
        process.onExit().get(250, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        // still starting: poll again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new K3sboxException(Failure.INTERRUPTED, "interrupted while dockerd was starting");
      }
    }
    return Optional.empty();
  }

  private Path install(boolean mayInstall) {
    if (!mayInstall || !HostCommands.canInstallPackages()) {
      throw new K3sboxException(
          Failure.DOCKER,
          "no Docker daemon is running and dockerd is not installed; run `sudo apt-get install -y"
              + " docker.io` (or install Docker Engine), then try again"
              + (mayInstall ? "" : " (--no-install forbade installing it)"));
    }
    progress.step("installing docker.io with apt-get (about a minute; --no-install forbids this)");
    String hint = "; install Docker by hand and retry";
    HostCommands.run(List.of("apt-get", "update", "-q"), Failure.DOCKER, hint);
    HostCommands.run(List.of("apt-get", "install", "-y", "-q", "docker.io"), Failure.DOCKER, hint);
    return findDockerd()
        .orElseThrow(
            () ->
                new K3sboxException(
                    Failure.DOCKER,
                    "docker.io installed but dockerd is not on PATH; check apt's output"));
  }

  static Optional<Path> findDockerd() {
    return HostCommands.find(
        "dockerd", "/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin");
  }

  /** Where k3sbox records the dockerd it starts (pid and flags), for later runs to find. */
  public static Path startRecord(StateDir stateDir) {
    return stateDir.dockerd().resolve("dockerd.json");
  }

  /** The live dockerd whose start k3sbox recorded in {@code stateDir}, if any. */
  public static Optional<ProcessHandle> startedByK3sbox(StateDir stateDir) {
    Path file = startRecord(stateDir);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      long pid = new ObjectMapper().readTree(file.toFile()).path("pid").asLong();
      // A recycled pid is no longer our daemon.
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().command().map(c -> c.endsWith("dockerd")).orElse(false));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void recordStarted(long pid, List<String> flags) {
    try {
      // Atomically: a k3sbox killed mid-write must not leave a torn record.
      SecureFiles.writeAtomically(
          startRecord(stateDir),
          new ObjectMapper().writeValueAsString(Map.of("pid", pid, "flags", flags)));
    } catch (IOException e) {
      progress.warn(
          "cannot record the dockerd pid ("
              + e.getMessage()
              + "); `down --stop-docker` will not stop it");
    }
  }

  private void forgetStarted() {
    try {
      Files.deleteIfExists(startRecord(stateDir));
    } catch (IOException e) {
      // A stale record only means the next stop finds no live pid under it.
    }
  }

  /** The pid of a live dockerd that k3sbox started, if any. */
  private Optional<Long> startedPid() {
    return startedByK3sbox(stateDir).map(ProcessHandle::pid);
  }
}
