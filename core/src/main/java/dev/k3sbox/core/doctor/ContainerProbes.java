package dev.k3sbox.core.doctor;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import dev.k3sbox.core.docker.Capabilities;
import dev.k3sbox.core.docker.DaemonError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The probes that need the daemon: each runs one short-lived container (or network, volume, build)
 * from a local image with {@code /bin/sh}, and answers with a {@link Check} whose detail is the
 * daemon's own error line when it fails. Probes that do not test networking run with {@code
 * --network none}, so a refused bridge does not fail them too.
 */
final class ContainerProbes {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);

  private final DockerClient docker;
  private final ProbeResources resources;
  private final String image;

  ContainerProbes(DockerClient docker, ProbeResources resources, String image) {
    this.docker = docker;
    this.resources = resources;
    this.image = image;
  }

  /** What a finished probe container said. */
  record Run(long exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }

    /** The last line the container printed, for a failure's detail. */
    String lastLine() {
      List<String> lines = output.strip().lines().toList();
      return lines.isEmpty() ? "exit code " + exitCode : lines.get(lines.size() - 1);
    }
  }

  Check privileged() {
    return expectOk(
        CheckId.PRIVILEGED,
        "a privileged container starts",
        none().withPrivileged(true),
        "echo ok");
  }

  Check capabilities(Capabilities bounding) {
    List<Capability> add = new ArrayList<>(bounding.asDockerCapabilities());
    List<String> skipped = new ArrayList<>(bounding.unknownToDockerJava());
    return guarded(
        CheckId.CAPABILITIES,
        () -> {
          // An older daemon refuses capabilities newer than itself (20.10: CAP_PERFMON); drop
          // each it names and retry, as `up` must ask for the same set.
          for (int attempt = 0; ; attempt++) {
            HostConfig config =
                none()
                    .withCapAdd(add.toArray(Capability[]::new))
                    .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"));
            try {
              String note =
                  skipped.isEmpty()
                      ? ""
                      : " (the daemon does not know " + String.join(", ", skipped) + ")";
              return runCheck(
                  CheckId.CAPABILITIES,
                  add.size() + " bounding-set capabilities, seccomp and AppArmor unconfined" + note,
                  config,
                  "echo ok");
            } catch (com.github.dockerjava.api.exception.DockerException e) {
              Optional<Capability> unknown = Capabilities.unknownToDaemon(DaemonError.lineOf(e));
              if (unknown.isEmpty() || !add.remove(unknown.get()) || attempt > add.size()) {
                throw e;
              }
              skipped.add(unknown.get().name().toLowerCase(Locale.ROOT));
            }
          }
        });
  }

  Check network(CheckId id, String mode) {
    return expectOk(
        id,
        "a container runs with --network " + mode,
        HostConfig.newHostConfig().withNetworkMode(mode),
        "echo ok");
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
                HostConfig.newHostConfig().withNetworkMode(name),
                "echo ok");
          } finally {
            resources.removeNetwork(network);
          }
        });
  }

  Check publishedPort() {
    return guarded(
        CheckId.PUBLISHED_PORT,
        () -> {
          ExposedPort port = ExposedPort.tcp(8080);
          Ports bindings = new Ports();
          // No host port: the daemon picks a free one, so the probe never collides.
          bindings.bind(port, Ports.Binding.bindIp("127.0.0.1"));
          HostConfig config =
              HostConfig.newHostConfig().withNetworkMode("bridge").withPortBindings(bindings);
          String id =
              resources.createContainer(
                  shell("sleep 30").withExposedPorts(port).withHostConfig(config));
          try {
            docker.startContainerCmd(id).exec();
            InspectContainerResponse inspect = docker.inspectContainerCmd(id).exec();
            Ports.Binding[] published =
                inspect.getNetworkSettings().getPorts().getBindings().get(port);
            if (published == null || published.length == 0) {
              return Check.fail(CheckId.PUBLISHED_PORT, "started, but no host port was bound");
            }
            return Check.ok(
                CheckId.PUBLISHED_PORT,
                "-p 127.0.0.1:"
                    + published[0].getHostPortSpec()
                    + ":8080 bound on the bridge network");
          } finally {
            resources.removeContainer(id);
          }
        });
  }

  Check bindMountReadOnly(Path hostDir) {
    return guarded(
        CheckId.BIND_MOUNT_RO,
        () -> {
          Files.writeString(hostDir.resolve("in.txt"), "k3sbox-doctor\n");
          HostConfig config = none().withBinds(Bind.parse(hostDir + ":/probe:ro"));
          Run run = run(config, "cat /probe/in.txt && ! touch /probe/denied 2>/dev/null");
          if (run.succeeded() && run.output().contains("k3sbox-doctor")) {
            return Check.ok(CheckId.BIND_MOUNT_RO, "host file read; writes refused");
          }
          return Check.fail(CheckId.BIND_MOUNT_RO, run.lastLine());
        });
  }

  Check bindMountReadWrite(Path hostDir) {
    return guarded(
        CheckId.BIND_MOUNT_RW,
        () -> {
          HostConfig config = none().withBinds(Bind.parse(hostDir + ":/probe:rw"));
          Run run = run(config, "echo written > /probe/out.txt");
          if (run.succeeded() && Files.isRegularFile(hostDir.resolve("out.txt"))) {
            return Check.ok(CheckId.BIND_MOUNT_RW, "container wrote a file the host reads");
          }
          return Check.fail(
              CheckId.BIND_MOUNT_RW,
              run.succeeded() ? "the file the container wrote is not on the host" : run.lastLine());
        });
  }

  Check namedVolume() {
    return guarded(
        CheckId.NAMED_VOLUME,
        () -> {
          String volume = resources.createVolume("k3sbox-doctor-" + shortId());
          try {
            HostConfig config = none().withBinds(new Bind(volume, new Volume("/data")));
            return runCheck(
                CheckId.NAMED_VOLUME,
                "labelled volume created, written and removed",
                config,
                "echo ok > /data/probe && cat /data/probe");
          } finally {
            resources.removeVolume(volume);
          }
        });
  }

  Check tmpfs() {
    return expectOk(
        CheckId.TMPFS,
        "tmpfs mounted and writable",
        none().withTmpFs(Map.of("/probe-tmpfs", "rw,exec,size=1m")),
        "echo ok > /probe-tmpfs/x && cat /probe-tmpfs/x");
  }

  Check backgroundExec() {
    return guarded(
        CheckId.EXEC,
        () -> {
          String id = resources.createContainer(shell("sleep 60").withHostConfig(none()));
          try {
            docker.startContainerCmd(id).exec();
            Awaitility.await("probe container " + id + " running")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Boolean.TRUE.equals(state(id).getRunning()));
            String exec =
                docker
                    .execCreateCmd(id)
                    .withCmd("/bin/sh", "-c", "echo exec-ok")
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .exec()
                    .getId();
            Output output = new Output();
            docker.execStartCmd(exec).exec(output).awaitCompletion(20, TimeUnit.SECONDS);
            Long code = docker.inspectExecCmd(exec).exec().getExitCodeLong();
            if (code != null && code == 0 && output.text().contains("exec-ok")) {
              return Check.ok(CheckId.EXEC, "detached container runs; exec answers");
            }
            return Check.fail(
                CheckId.EXEC, new Run(code == null ? -1 : code, output.text()).lastLine());
          } finally {
            resources.removeContainer(id);
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
          resources.trackImage(tag);
          try {
            // Host network, as the seed found builds need; never pull: the base is local.
            resources.creating(
                () ->
                    docker
                        .buildImageCmd(contextDir.toFile())
                        .withTags(Set.of(tag))
                        .withLabels(resources.labels())
                        .withNetworkMode("host")
                        .withPull(false)
                        .withRemove(true)
                        .withForcerm(true)
                        .exec(new BuildImageResultCallback())
                        .awaitImageId(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            return Check.ok(
                CheckId.IMAGE_BUILD, "one RUN step on " + image + ", tagged and removed");
          } finally {
            resources.removeImage(tag);
          }
        });
  }

  /** Runs {@code script} and passes when it exits 0. */
  private Check expectOk(CheckId id, String okDetail, HostConfig config, String script) {
    return guarded(id, () -> runCheck(id, okDetail, config, script));
  }

  private Check runCheck(CheckId id, String okDetail, HostConfig config, String script)
      throws InterruptedException {
    Run run = run(config, script);
    return run.succeeded() ? Check.ok(id, okDetail) : Check.fail(id, run.lastLine());
  }

  /** Creates, starts and waits for one container; always removes it. */
  Run run(HostConfig config, String script) throws InterruptedException {
    String id = resources.createContainer(shell(script).withHostConfig(config));
    try {
      docker.startContainerCmd(id).exec();
      int code =
          docker
              .waitContainerCmd(id)
              .exec(new WaitContainerResultCallback())
              .awaitStatusCode(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return new Run(code, logs(id));
    } finally {
      resources.removeContainer(id);
    }
  }

  /** Whether the image has {@code /bin/sh}: created, never started, so it costs no start. */
  boolean hasShell() {
    String id =
        resources.createContainer(
            docker.createContainerCmd(image).withEntrypoint("/bin/sh").withHostConfig(none()));
    try (var tar = docker.copyArchiveFromContainerCmd(id, "/bin/sh").exec()) {
      return tar.read() >= 0;
    } catch (com.github.dockerjava.api.exception.NotFoundException | IOException e) {
      return false;
    } finally {
      resources.removeContainer(id);
    }
  }

  private com.github.dockerjava.api.command.CreateContainerCmd shell(String script) {
    // The k3s image's entrypoint is k3s itself: name the shell explicitly.
    return docker.createContainerCmd(image).withEntrypoint("/bin/sh").withCmd("-c", script);
  }

  private static HostConfig none() {
    return HostConfig.newHostConfig().withNetworkMode("none");
  }

  private InspectContainerResponse.ContainerState state(String id) {
    return docker.inspectContainerCmd(id).exec().getState();
  }

  private String logs(String id) throws InterruptedException {
    Output output = new Output();
    docker
        .logContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .exec(output)
        .awaitCompletion(10, TimeUnit.SECONDS);
    return output.text();
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
    } catch (Exception e) {
      return Check.fail(id, DaemonError.lineOf(e));
    }
  }

  /** Collects a container's or exec's output. */
  static final class Output extends ResultCallback.Adapter<Frame> {
    private final StringBuffer text = new StringBuffer();

    @Override
    public void onNext(Frame frame) {
      text.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
    }

    String text() {
      return text.toString();
    }
  }
}
