package dev.k3sbox.core.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A container's or an exec's output, collected whole: a probe's is a line or two. */
final class CollectedOutput extends ResultCallback.Adapter<Frame> {
  private final StringBuffer text = new StringBuffer();

  @Override
  public void onNext(Frame frame) {
    text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
  }

  /** What arrived within {@code timeout}; a failure of the stream as the port's. */
  String await(Duration timeout) throws InterruptedException {
    try {
      awaitCompletion(timeout.toSeconds(), TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      throw DaemonError.translated(e);
    }
    return text.toString();
  }
}
