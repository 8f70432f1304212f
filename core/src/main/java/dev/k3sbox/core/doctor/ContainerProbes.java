package dev.k3sbox.core.doctor;

import dev.k3sbox.core.docker.Capabilities;
import dev.k3sbox.core.docker.DaemonError;
import dev.k3sbox.core.engine.CommandResult;
import dev.k3sbox.core.engine.EngineException;
import dev.k3sbox.core.engine.ProbeEngine;
import dev.k3sbox.core.engine.ProbeEngine.Kind;
import dev.k3sbox.core.engine.ProbeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * The probes that need the daemon: each runs one short-lived container (or network, volume, build)
 * from a local image with {@code /bin/sh}, and answers with a {@link Check} whose detail is the
 * daemon's own error line when it fails. Probes that do not test networking run with {@code
 * --network none} ({@link ProbeSpec#of}), so a refused bridge does not fail them too.
 */
final class ContainerProbes {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);
  private static final List<String> UNCONFINED =
      List.of("seccomp=unconfined", "apparmor=unconfined");

  private final ProbeEngine engine;
  private final ProbeResources resources;
  private final String image;

  ContainerProbes(ProbeEngine engine, ProbeResources resources, String image) {
    this.engine = engine;
    this.resources = resources;
    this.image = image;
  }

  Check privileged() {
    return expectOk(
        CheckId.PRIVILEGED, "a privileged container starts", shell("echo ok").asPrivileged());
  }

  /**
   * A container with {@code askable} (the bounding set's capabilities Docker knows) added and
   * seccomp and AppArmor unconfined: what {@code up} asks for where {@code --privileged} is
   * refused.
   */
  Check capabilities(List<String> askable, List<String> unknownToDocker) {
    List<String> add = new ArrayList<>(askable);
    List<String> skipped = new ArrayList<>(unknownToDocker);
    return guarded(
        CheckId.CAPABILITIES,
        () -> {
          // An older daemon refuses capabilities newer than itself (20.10: CAP_PERFMON); drop
          // each it names and retry, as `up` must ask for the same set.
          for (int attempt = 0; ; attempt++) {
            String note =
                skipped.isEmpty()
                    ? ""
                    : " (the daemon does not know " + String.join(", ", skipped) + ")";
            try {
              return runCheck(
                  CheckId.CAPABILITIES,
                  add.size() + " bounding-set capabilities, seccomp and AppArmor unconfined" + note,
                  shell("echo ok").withCapabilities(add, UNCONFINED));
            } catch (EngineException e) {
              Optional<String> unknown = Capabilities.nameUnknownToDaemon(e.reason());
              if (unknown.isEmpty() || !add.remove(unknown.get()) || attempt > add.size()) {
                throw e;
              }
              skipped.add(unknown.get().toLowerCase(Locale.ROOT));
            }
          }
        });
  }

  Check network(CheckId id, String mode) {
    return expectOk(
        id, "a container runs with --network " + mode, shell("echo ok").onNetwork(mode));
  }

  Check userDefinedNetwork() {
    return guarded(
        CheckId.NETWORK_USER_DEFINED,
        () -> {
          String name = "k3sbox-doctor-" + shortId();
          String network = resources.createNetwork(name);
          try {
            return runCheck(
                CheckId.NETWORK_USER_DEFINED,
                "network " + name + " created, a container runs on it",
                shell("echo ok").onNetwork(name));
          } finally {
            resources.remove(Kind.NETWORK, network);
          }
        });
  }

  Check publishedPort() {
    return guarded(
        CheckId.PUBLISHED_PORT,
        () -> {
          String id =
              resources.createContainer(shell("sleep 30").onNetwork("bridge").publishing(8080));
          try {
            engine.start(id);
            return engine
                .hostPort(id, 8080)
                .map(
                    port ->
                        Check.ok(
                            CheckId.PUBLISHED_PORT,
                            "-p 127.0.0.1:" + port + ":8080 bound on the bridge network"))
                .orElse(Check.fail(CheckId.PUBLISHED_PORT, "started, but no host port was bound"));
          } finally {
            resources.remove(Kind.CONTAINER, id);
          }
        });
  }

  Check bindMountReadOnly(Path hostDir) {
    return guarded(
        CheckId.BIND_MOUNT_RO,
        () -> {
          Files.writeString(hostDir.resolve("in.txt"), "k3sbox-doctor\n");
          CommandResult run =
              run(
                  shell("cat /probe/in.txt && ! touch /probe/denied 2>/dev/null")
                      .withBind(hostDir + ":/probe:ro"));
          if (run.succeeded() && run.output().contains("k3sbox-doctor")) {
            return Check.ok(CheckId.BIND_MOUNT_RO, "host file read; writes refused");
          }
          return Check.fail(CheckId.BIND_MOUNT_RO, lastLine(run));
        });
  }

  Check bindMountReadWrite(Path hostDir) {
    return guarded(
        CheckId.BIND_MOUNT_RW,
        () -> {
          CommandResult run =
              run(shell("echo written > /probe/out.txt").withBind(hostDir + ":/probe:rw"));
          if (run.succeeded() && Files.isRegularFile(hostDir.resolve("out.txt"))) {
            return Check.ok(CheckId.BIND_MOUNT_RW, "container wrote a file the host reads");
          }
          return Check.fail(
              CheckId.BIND_MOUNT_RW,
              run.succeeded() ? "the file the container wrote is not on the host" : lastLine(run));
        });
  }

  Check namedVolume() {
    return guarded(
        CheckId.NAMED_VOLUME,
        () -> {
          String volume = resources.createVolume("k3sbox-doctor-" + shortId());
          try {
            return runCheck(
                CheckId.NAMED_VOLUME,
                "labelled volume created, written and removed",
                shell("echo ok > /data/probe && cat /data/probe").withBind(volume + ":/data:rw"));
          } finally {
            resources.remove(Kind.VOLUME, volume);
          }
        });
  }

  Check tmpfs() {
    return expectOk(
        CheckId.TMPFS,
        "tmpfs mounted and writable",
        shell("echo ok > /probe-tmpfs/x && cat /probe-tmpfs/x")
            .withTmpfs("/probe-tmpfs", "rw,exec,size=1m"));
  }

  Check backgroundExec() {
    return guarded(
        CheckId.EXEC,
        () -> {
          String id = resources.createContainer(shell("sleep 60"));
          try {
            engine.start(id);
            Awaitility.await("probe container " + id + " running")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> engine.isRunning(id));
            CommandResult exec =
                engine.exec(id, List.of("/bin/sh", "-c", "echo exec-ok"), EXEC_TIMEOUT);
            if (exec.succeeded() && exec.output().contains("exec-ok")) {
              return Check.ok(CheckId.EXEC, "detached container runs; exec answers");
            }
            return Check.fail(CheckId.EXEC, lastLine(exec));
          } finally {
            resources.remove(Kind.CONTAINER, id);
          }
        });
  }

  Check imageBuild(Path contextDir) {
    return guarded(
        CheckId.IMAGE_BUILD,
        () -> {
          String tag = "k3sbox/doctor-probe:" + UUID.randomUUID();
          Files.writeString(
              contextDir.resolve("Dockerfile"),
              "FROM " + image + "\nRUN echo k3sbox-doctor > /k3sbox-doctor-probe\n");
          try {
            resources.build(contextDir, tag, BUILD_TIMEOUT);
            return Check.ok(
                CheckId.IMAGE_BUILD, "one RUN step on " + image + ", tagged and removed");
          } finally {
            resources.remove(Kind.IMAGE, tag);
          }
        });
  }

  /** Whether the image has {@code /bin/sh}: created, never started, so it costs no start. */
  boolean hasShell() {
    String id = resources.createContainer(ProbeSpec.of(image, List.of("/bin/sh")));
    try {
      return engine.hasFile(id, "/bin/sh");
    } finally {
      resources.remove(Kind.CONTAINER, id);
    }
  }

  /** Runs {@code spec} and passes when it exits 0. */
  private Check expectOk(CheckId id, String okDetail, ProbeSpec spec) {
    return guarded(id, () -> runCheck(id, okDetail, spec));
  }

  private Check runCheck(CheckId id, String okDetail, ProbeSpec spec) throws InterruptedException {
    CommandResult run = run(spec);
    return run.succeeded() ? Check.ok(id, okDetail) : Check.fail(id, lastLine(run));
  }

  /** Creates, starts and waits for one container; always removes it. */
  private CommandResult run(ProbeSpec spec) throws InterruptedException {
    String id = resources.createContainer(spec);
    try {
      return engine.run(id, RUN_TIMEOUT);
    } finally {
      resources.remove(Kind.CONTAINER, id);
    }
  }

  /** {@code script} in the image's shell; the k3s image's entrypoint is k3s itself. */
  private ProbeSpec shell(String script) {
    return ProbeSpec.of(image, List.of("/bin/sh", "-c", script));
  }

  /** The last line the command printed, for a failure's detail. */
  static String lastLine(CommandResult result) {
    List<String> lines = result.output().strip().lines().toList();
    return lines.isEmpty() ? "exit code " + result.exitCode() : lines.get(lines.size() - 1);
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** A probe body that may throw; any failure becomes a failed check with the daemon's words. */
  interface Body {
    Check call() throws Exception;
  }

  static Check guarded(CheckId id, Body body) {
    try {
      return body.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Check.fail(id, "interrupted");
    } catch (EngineException e) {
      return Check.fail(id, e.reason());
    } catch (Exception e) {
      return Check.fail(id, DaemonError.lineOf(e));
    }
  }
}
