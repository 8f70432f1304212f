package dev.k3sbox.core;

import java.util.ArrayList;
import java.util.List;

/** Progress kept as said, in order, for tests to read; warnings start with {@code warning: }. */
public final class RecordedProgress implements Progress {
  public final List<String> said = new ArrayList<>();

  @Override
  public void step(String message) {
    said.add(message);
  }

  @Override
  public void info(String message) {
    said.add(message);
  }

  @Override
  public void warn(String message) {
    said.add("warning: " + message);
  }
}
