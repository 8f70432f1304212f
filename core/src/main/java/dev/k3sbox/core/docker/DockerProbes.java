package dev.k3sbox.core.docker;

import static dev.k3sbox.core.docker.DaemonError.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.k3sbox.core.engine.CommandResult;
import dev.k3sbox.core.engine.EngineException;
import dev.k3sbox.core.engine.ImageStore;
import dev.k3sbox.core.engine.ProbeEngine;
import dev.k3sbox.core.engine.ProbeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Doctor's probe port on Docker: the one place its probes become docker-java commands, or Engine
 * API JSON trees where docker-java's types cannot say what a probe asks (a capability docker-java
 * has no constant for: {@link ProbeCreateRequest}). Docker's failures leave as {@link
 * EngineException}s with the daemon's own words.
 */
public final class DockerProbes implements ProbeEngine {
  /** How long a container's log may take to arrive once it has exited. */
  private static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);

  private final DockerClient docker;
  private final DockerClient daemonClient;

  private DockerProbes(DockerClient docker, DockerClient daemonClient) {
    this.docker = docker;
    this.daemonClient = daemonClient;
  }

  /**
   * Probes of {@code daemon}, through a client of their own whose requests fail after 90 s: a
   * daemon call that hangs ends as a failed probe. Closing the probes closes the daemon's client
   * too, as doctor asks nothing more of the daemon after its probes.
   */
  public static DockerProbes connect(DaemonInfo daemon) {
    return new DockerProbes(
        DockerClients.connect(daemon.host(), Duration.ofSeconds(90)), daemon.client());
  }

  @Override
  public ImageStore images() {
    return DockerImages.on(docker);
  }

  @Override
  public String createContainer(ProbeSpec spec, Map<String, String> labels) {
    return call(
        () -> {
          DockerRequests requests = DockerRequests.of(docker);
          return requests
              .post("/containers/create", ProbeCreateRequest.body(requests.object(), spec, labels))
              .path("Id")
              .asText();
        });
  }

  @Override
  public CommandResult run(String containerId, Duration timeout) throws InterruptedException {
    start(containerId);
    int code =
        call(
            () ->
                docker
                    .waitContainerCmd(containerId)
                    .exec(new WaitContainerResultCallback())
                    .awaitStatusCode(timeout.toSeconds(), TimeUnit.SECONDS));
    CollectedOutput output =
        call(
            () ->
                docker
                    .logContainerCmd(containerId)
                    .withStdOut(true)
                    .withStdErr(true)
                    .exec(new CollectedOutput()));
    return new CommandResult(code, output.await(LOG_TIMEOUT));
  }

  @Override
  public void start(String containerId) {
    call(() -> docker.startContainerCmd(containerId).exec());
  }

  @Override
  public boolean isRunning(String containerId) {
    return inspect(containerId).path("State").path("Running").asBoolean(false);
  }

  @Override
  public Optional<String> hostPort(String containerId, int containerPort) {
    JsonNode bound =
        inspect(containerId).path("NetworkSettings").path("Ports").path(containerPort + "/tcp");
    return bound.isArray() && !bound.isEmpty()
        ? Optional.of(bound.get(0).path("HostPort").asText())
        : Optional.empty();
  }

  private JsonNode inspect(String containerId) {
    return call(
        () ->
            DockerRequests.of(docker)
                .get("/containers/" + DockerRequests.segment(containerId) + "/json")
                .orElseThrow(() -> new NotFoundException("No such container: " + containerId)));
  }

  @Override
  public CommandResult exec(String containerId, List<String> command, Duration timeout)
      throws InterruptedException {
    String exec =
        call(
            () ->
                docker
                    .execCreateCmd(containerId)
                    .withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .exec()
                    .getId());
    CollectedOutput output = call(() -> docker.execStartCmd(exec).exec(new CollectedOutput()));
    String text = output.await(timeout);
    Long code = call(() -> docker.inspectExecCmd(exec).exec().getExitCodeLong());
    return new CommandResult(code == null ? -1 : code, text);
  }

  @Override
  public boolean hasFile(String containerId, String path) {
    try (InputStream tar =
        call(() -> docker.copyArchiveFromContainerCmd(containerId, path).exec())) {
      return tar.read() >= 0;
    } catch (IOException e) {
      return false;
    } catch (EngineException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public String createNetwork(String name, Map<String, String> labels) {
    return call(
        () ->
            docker
                .createNetworkCmd()
                .withName(name)
                .withLabels(labels)
                .withCheckDuplicate(true)
                .exec()
                .getId());
  }

  @Override
  public String createVolume(String name, Map<String, String> labels) {
    return call(() -> docker.createVolumeCmd().withName(name).withLabels(labels).exec().getName());
  }

  @Override
  public void build(Path context, String tag, Map<String, String> labels, Duration timeout) {
    call(
        () ->
            docker
                .buildImageCmd(context.toFile())
                .withTags(Set.of(tag))
                .withLabels(labels)
                .withNetworkMode("host")
                .withPull(false)
                .withRemove(true)
                .withForcerm(true)
                .exec(new BuildImageResultCallback())
                .awaitImageId(timeout.toSeconds(), TimeUnit.SECONDS));
  }

  @Override
  public List<Labelled> list(Kind kind, Map<String, String> labels) {
    List<String> filter =
        labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    return call(
        () ->
            switch (kind) {
              case CONTAINER ->
                  docker
                      .listContainersCmd()
                      .withShowAll(true)
                      .withLabelFilter(labels)
                      .exec()
                      .stream()
                      .map(c -> new Labelled(c.getId(), c.getLabels()))
                      .toList();
              case IMAGE ->
                  docker.listImagesCmd().withLabelFilter(labels).exec().stream()
                      .map(i -> new Labelled(i.getId(), i.getLabels()))
                      .toList();
              case NETWORK ->
                  docker.listNetworksCmd().withFilter("label", filter).exec().stream()
                      .map(n -> new Labelled(n.getId(), n.getLabels()))
                      .toList();
              // The daemon answers "Volumes": null when there are none.
              case VOLUME ->
                  Objects.requireNonNullElse(
                          docker.listVolumesCmd().withFilter("label", filter).exec().getVolumes(),
                          List.<InspectVolumeResponse>of())
                      .stream()
                      .map(v -> new Labelled(v.getName(), v.getLabels()))
                      .toList();
            });
  }

  @Override
  public void remove(Kind kind, String id) {
    call(
        () ->
            switch (kind) {
              case CONTAINER ->
                  docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
              case IMAGE -> docker.removeImageCmd(id).withForce(true).withNoPrune(false).exec();
              case NETWORK -> docker.removeNetworkCmd(id).exec();
              case VOLUME -> docker.removeVolumeCmd(id).exec();
            });
  }

  @Override
  public void close() {
    DockerClients.closeQuietly(docker);
    DockerClients.closeQuietly(daemonClient);
  }
}
