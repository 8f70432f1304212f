package dev.k3sbox.core.docker;

import static dev.k3sbox.core.docker.DaemonError.call;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Frame;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.ContainerSpec;
import dev.k3sbox.core.engine.ContainerState;
import dev.k3sbox.core.engine.ContainerSummary;
import dev.k3sbox.core.engine.EngineException;
import dev.k3sbox.core.engine.ExitWatch;
import dev.k3sbox.core.engine.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The container engine port on Docker: the one place the cluster lifecycle's requests become
 * docker-java commands or Engine API JSON trees ({@link DockerRequests}, for the requests on {@code
 * up}'s way to a started server and for {@code status}, where binding docker-java's large types
 * cost a cold JVM ~0.1 s each). Docker's failures leave as {@link EngineException}s with the
 * daemon's own words.
 */
public final class DockerEngine implements ContainerEngine {
  private final DaemonInfo daemon;
  private final DockerClient docker;

  public DockerEngine(DaemonInfo daemon) {
    this.daemon = daemon;
    this.docker = daemon.client();
  }

  @Override
  public Optional<ContainerState> inspect(String idOrName) {
    return call(
        () ->
            DockerRequests.of(docker)
                .get("/containers/" + DockerRequests.segment(idOrName) + "/json")
                .map(ContainerJson::stateOf));
  }

  @Override
  public List<ContainerSummary> containers(Map<String, String> labels) {
    return call(
        () ->
            docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().stream()
                .map(
                    c ->
                        new ContainerSummary(
                            c.getId(),
                            c.getNames() == null
                                ? c.getId()
                                : String.join(",", c.getNames()).replace("/", ""),
                            c.getLabels() == null ? Map.of() : c.getLabels()))
                .toList());
  }

  @Override
  public String create(ContainerSpec spec) {
    return call(
        () -> {
          DockerRequests requests = DockerRequests.of(docker);
          String id =
              requests
                  .post(
                      "/containers/create?name=" + DockerRequests.segment(spec.name()),
                      ContainerJson.createBody(requests.object(), spec))
                  .path("Id")
                  .asText();
          if (id.isEmpty()) {
            throw new DockerException("the daemon created the container but sent no Id", 500);
          }
          return id;
        });
  }

  @Override
  public void start(String id) {
    call(() -> docker.startContainerCmd(id).exec());
  }

  @Override
  public void stop(String id, int timeoutSeconds) {
    call(
        () -> {
          try {
            docker.stopContainerCmd(id).withTimeout(timeoutSeconds).exec();
          } catch (NotModifiedException e) {
            // already stopped: as good
          }
          return null;
        });
  }

  @Override
  public void remove(String id) {
    call(() -> docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
  }

  @Override
  public Map<String, String> createVolume(String name, Map<String, String> labels) {
    DockerRequests requests = DockerRequests.of(docker);
    ObjectNode create = DockerRequests.putLabels(requests.object().put("Name", name), labels);
    return call(() -> DockerRequests.labels(requests.post("/volumes/create", create)));
  }

  @Override
  public List<String> volumes(Map<String, String> labels) {
    return call(
        () -> {
          var found =
              docker
                  .listVolumesCmd()
                  .withFilter(
                      "label",
                      labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                  .exec()
                  .getVolumes();
          return found == null ? List.<String>of() : found.stream().map(v -> v.getName()).toList();
        });
  }

  @Override
  public void removeVolume(String name) {
    call(() -> docker.removeVolumeCmd(name).exec());
  }

  @Override
  public Optional<String> readFile(String containerId, String path) {
    try (InputStream tar = docker.copyArchiveFromContainerCmd(containerId, path).exec();
        TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
      if (in.getNextEntry() == null) {
        return Optional.empty();
      }
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (NotFoundException | IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void logs(
      String containerId,
      boolean follow,
      Integer tail,
      Consumer<String> sink,
      long timeoutSeconds) {
    StringBuilder partial = new StringBuilder();
    ResultCallback.Adapter<Frame> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            partial.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
              sink.accept(partial.substring(0, nl));
              partial.delete(0, nl + 1);
            }
          }
        };
    var cmd =
        docker
            .logContainerCmd(containerId)
            .withStdOut(true)
            .withStdErr(true)
            .withFollowStream(follow);
    if (tail != null) {
      cmd.withTail(tail);
    }
    try {
      call(() -> cmd.exec(callback));
      if (timeoutSeconds > 0) {
        callback.awaitCompletion(timeoutSeconds, TimeUnit.SECONDS);
      } else {
        callback.awaitCompletion();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (partial.length() > 0) {
      sink.accept(partial.toString());
    }
  }

  /**
   * From Docker's event stream: one request that idles until Docker reports a {@code die}, where an
   * inspection every second took CPU from the server booting on the same cores and saw a crash up
   * to a second late. Every crash is a {@code die} event, restarted by the policy or not.
   */
  @Override
  public ExitWatch watchExits(String containerId, String since) {
    AtomicReference<String> exitCode = new AtomicReference<>();
    AtomicBoolean ended = new AtomicBoolean();
    ResultCallback.Adapter<Event> stream =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Event event) {
            Map<String, String> attributes =
                event.getActor() == null ? null : event.getActor().getAttributes();
            String code = attributes == null ? null : attributes.get("exitCode");
            exitCode.compareAndSet(null, code == null ? "unknown" : code);
          }

          @Override
          public void onError(Throwable throwable) {
            ended.set(true);
          }

          @Override
          public void onComplete() {
            ended.set(true);
          }
        };
    docker
        .eventsCmd()
        .withContainerFilter(containerId)
        .withEventFilter("die")
        .withSince(since)
        .exec(stream);
    return new ExitWatch() {
      @Override
      public Optional<String> exitCode() {
        return Optional.ofNullable(exitCode.get());
      }

      @Override
      public boolean blind() {
        return ended.get() && exitCode.get() == null;
      }

      @Override
      public void close() {
        try {
          stream.close();
        } catch (IOException | RuntimeException e) {
          // the stream's thread is a daemon thread; nothing is left to release
        }
      }
    };
  }

  /**
   * One {@code one-shot} stats request (no second sample is needed for memory): the cgroup's usage
   * less the page cache it could drop, as {@code docker stats} shows it.
   */
  @Override
  public OptionalLong memoryMib(String containerId) {
    try {
      return DockerRequests.of(docker)
          .get(
              "/containers/"
                  + DockerRequests.segment(containerId)
                  + "/stats?stream=false&one-shot=true")
          .map(ContainerJson::memoryMibOf)
          .orElse(OptionalLong.empty());
    } catch (RuntimeException e) {
      return OptionalLong.empty(); // an older daemon: the caller goes on without it
    }
  }

  @Override
  public ImageStore images() {
    return new DockerImages(docker);
  }

  @Override
  public String storageDriver() {
    return call(daemon::storageDriver);
  }

  @Override
  public void prefetch() {
    daemon.prefetch();
  }
}
