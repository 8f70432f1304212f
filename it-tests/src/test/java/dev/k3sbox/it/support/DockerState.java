package dev.k3sbox.it.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.docker.DockerClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What k3sbox has left in Docker for one cluster, read by label as k3sbox itself does. */
public final class DockerState {
  public static final DockerClient DOCKER =
      DockerClients.connect(DockerClients.hostFromEnvironment(), Duration.ofMinutes(2));

  private DockerState() {}

  public static List<Container> containers(String cluster) {
    return DOCKER
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(List.of(Labels.CLUSTER + "=" + cluster))
        .exec();
  }

  public static List<InspectVolumeResponse> volumes(String cluster) {
    List<InspectVolumeResponse> v =
        DOCKER
            .listVolumesCmd()
            .withFilter("label", List.of(Labels.CLUSTER + "=" + cluster))
            .exec()
            .getVolumes();
    return v == null ? List.of() : v;
  }

  /**
   * Runs {@code command} in a container, as {@code docker exec} does, and returns its stdout and
   * stderr; gives up waiting after a minute.
   */
  public static String exec(String containerId, String... command) throws InterruptedException {
    String exec =
        DOCKER
            .execCreateCmd(containerId)
            .withCmd(command)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    StringBuilder out = new StringBuilder();
    DOCKER
        .execStartCmd(exec)
        .exec(
            new ResultCallback.Adapter<Frame>() {
              @Override
              public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
              }
            })
        .awaitCompletion(60, TimeUnit.SECONDS);
    return out.toString();
  }

  /** Removes whatever a failed test left, so the next test starts clean. */
  public static void purge(String cluster) {
    for (Container c : containers(cluster)) {
      DOCKER.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
    }
    for (InspectVolumeResponse v : volumes(cluster)) {
      DOCKER.removeVolumeCmd(v.getName()).exec();
    }
  }
}
