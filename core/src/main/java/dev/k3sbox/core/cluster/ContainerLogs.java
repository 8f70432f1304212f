package dev.k3sbox.core.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Reads a container's log: a tail for error reports, or a stream for {@code k3sbox logs}. */
public final class ContainerLogs {
  private ContainerLogs() {}

  static List<String> tail(DockerClient docker, String containerId, int lines) {
    List<String> out = new ArrayList<>();
    try {
      stream(docker, containerId, false, lines, line -> out.add(line.stripTrailing()), 10);
    } catch (RuntimeException e) {
      // the log is a courtesy in an error report; its absence must not hide the error
    }
    return out;
  }

  /** Streams whole lines to {@code sink}; with {@code follow}, until the container stops. */
  static void stream(
      DockerClient docker,
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
      cmd.exec(callback);
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
}
