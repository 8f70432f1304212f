package dev.k3sbox.core.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.PullImageResultCallback;
import dev.k3sbox.core.engine.EngineException;
import dev.k3sbox.core.engine.ImageStore;
import dev.k3sbox.core.engine.ImageSummary;
import java.io.InputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The image port on Docker. Inspections and listings are read as JSON trees ({@link
 * DockerRequests}): they are on a plain {@code up}'s way, and binding docker-java's image types
 * costs a fresh JVM tens of ms. Pulls and builds, which take seconds anyway, use docker-java's
 * commands.
 */
public final class DockerImages implements ImageStore {
  private final DockerClient docker;

  DockerImages(DockerClient docker) {
    this.docker = docker;
  }

  /** The images of the daemon behind {@code docker}, a client of {@link DockerClients}. */
  public static ImageStore on(DockerClient docker) {
    return new DockerImages(docker);
  }

  @Override
  public Optional<ImageSummary> inspect(String reference) {
    return DaemonError.call(
        () ->
            DockerRequests.of(docker)
                .get("/images/" + DockerRequests.segment(reference) + "/json")
                .map(DockerImages::inspected));
  }

  @Override
  public List<ImageSummary> list() {
    return DaemonError.call(() -> listing(docker).stream().map(DockerImages::summaryOf).toList());
  }

  /** The daemon's listing ({@code GET /images/json}) as it sends it, one tree an image. */
  public static List<JsonNode> listing(DockerClient docker) {
    List<JsonNode> images = new ArrayList<>();
    DockerRequests.of(docker).get("/images/json").ifPresent(all -> all.forEach(images::add));
    return images;
  }

  /** An image of a {@link #listing}: labels at the top, {@code Created} in Unix seconds. */
  static ImageSummary summaryOf(JsonNode listed) {
    return new ImageSummary(
        listed.path("Id").asText(""),
        tags(listed),
        Objects.requireNonNullElse(DockerRequests.labels(listed), Map.of()),
        listed.path("Size").asLong(0),
        listed.path("Created").asLong(0));
  }

  /** An image's inspection: labels in {@code Config}, {@code Created} in RFC 3339. */
  static ImageSummary inspected(JsonNode image) {
    String created = image.path("Created").asText("");
    return new ImageSummary(
        image.path("Id").asText(""),
        tags(image),
        Objects.requireNonNullElse(DockerRequests.labels(image.path("Config")), Map.of()),
        image.path("Size").asLong(0),
        created.isEmpty() ? 0 : OffsetDateTime.parse(created).toEpochSecond());
  }

  /**
   * Docker lists an untagged (dangling) image with the tag {@code <none>:<none>}, which names
   * nothing: left out.
   */
  private static List<String> tags(JsonNode image) {
    List<String> tags = new ArrayList<>();
    for (JsonNode tag : image.path("RepoTags")) {
      if (!tag.asText().startsWith("<none>")) {
        tags.add(tag.asText());
      }
    }
    return tags;
  }

  @Override
  public boolean pull(String reference, Duration timeout) throws InterruptedException {
    try {
      return docker
          .pullImageCmd(reference)
          .exec(new PullImageResultCallback())
          .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      throw DaemonError.translated(e);
    }
  }

  @Override
  public void build(InputStream context, String tag) {
    DaemonError.call(
        () ->
            docker
                .buildImageCmd(context)
                .withTags(Set.of(tag))
                .withPull(false)
                .withRemove(true)
                .exec(new BuildImageResultCallback())
                .awaitImageId());
  }

  /**
   * The raw answer, not docker-java's load command: the daemon reports a file that is not an image
   * archive inside a 200 answer, which that command ignores ("loaded" /etc/hostname).
   */
  @Override
  public List<String> load(InputStream archive) {
    return loaded(
        DaemonError.call(
            () ->
                DockerRequests.of(docker)
                    .postStream("/images/load?quiet=1", "application/x-tar", archive)));
  }

  /**
   * What {@code /images/load} says it loaded, from its stream of messages ({@code {"stream":
   * "Loaded image: ..."}}); its first {@code {"error": ...}} as a refusal.
   */
  static List<String> loaded(List<JsonNode> answer) {
    answer.stream()
        .map(m -> m.path("error").asText(""))
        .filter(e -> !e.isEmpty())
        .findFirst()
        .ifPresent(
            refused -> {
              throw new EngineException(500, DaemonError.oneLine(refused), null);
            });
    return answer.stream()
        .map(m -> m.path("stream").asText("").strip())
        .filter(s -> s.startsWith("Loaded image"))
        .map(s -> s.replaceFirst("^Loaded image( ID)?: ", ""))
        .toList();
  }
}
