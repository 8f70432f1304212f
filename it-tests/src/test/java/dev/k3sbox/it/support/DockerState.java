package dev.k3sbox.it.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Container;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.docker.DockerClients;
import java.time.Duration;
import java.util.List;

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
