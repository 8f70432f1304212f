package dev.k3sbox.core.engine;

import java.util.Optional;

/** A watch on one container's deaths, open until closed. */
public interface ExitWatch extends AutoCloseable {
  /** The exit code of the first death the engine reported, once it has. */
  Optional<String> exitCode();

  /**
   * Whether the watch has ended without seeing a death (the engine went away or closed it): the
   * caller must then ask the engine itself.
   */
  boolean blind();

  @Override
  void close();
}
