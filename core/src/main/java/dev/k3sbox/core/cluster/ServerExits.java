package dev.k3sbox.core.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Notices the server container's death while {@code up} waits for it, from Docker's event stream:
 * one request that idles until Docker reports a {@code die}, instead of an inspection every second.
 * Each inspection took CPU from the server booting on the same cores (the first, in a cold JVM,
 * about 60 ms), and a crash was seen up to a second late; a restart by Docker's restart policy was
 * seen only through the restart count. Every crash is a {@code die} event, restarted or not.
 *
 * <p>The stream starts after the container does, and asks Docker to replay what it has kept since
 * the container's current life began, so a death in between is not missed.
 */
final class ServerExits implements AutoCloseable {
  private final AtomicReference<String> exitCode = new AtomicReference<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final ResultCallback.Adapter<Event> stream;

  private ServerExits(DockerClient docker, ServerInstance server) {
    stream =
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
        .withContainerFilter(server.id())
        .withEventFilter("die")
        .withSince(since(server))
        .exec(stream);
  }

  /** Starts watching {@code server}; close it once the wait is over. */
  static ServerExits watch(DockerClient docker, ServerInstance server) {
    return new ServerExits(docker, server);
  }

  /**
   * Where the replay starts, as the events API wants it ({@code <unix seconds>.<nanoseconds>}; it
   * refuses a date): the start of the container's current life as Docker reported it, or, for a
   * container this run created, its whole history (the API replays nothing without a start time,
   * and the container's ID is new, so every event of it is of this life).
   */
  static String since(ServerInstance server) {
    if (server.startedAt() == null) {
      return "1";
    }
    Instant started = OffsetDateTime.parse(server.startedAt()).toInstant();
    return started.getEpochSecond() + "." + String.format("%09d", started.getNano());
  }

  /** The exit code of the server's death, once Docker has reported one. */
  Optional<String> exitCode() {
    return Optional.ofNullable(exitCode.get());
  }

  /**
   * Whether the stream has ended without a death (the daemon went away or closed it): the caller
   * must then ask Docker itself.
   */
  boolean blind() {
    return ended.get() && exitCode.get() == null;
  }

  @Override
  public void close() {
    try {
      stream.close();
    } catch (java.io.IOException | RuntimeException e) {
      // the stream's thread is a daemon thread; nothing is left to release
    }
  }
}
