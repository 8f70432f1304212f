package dev.k3sbox.core;

/**
 * Where core reports what it is doing. Core never prints: the CLI renders these events as progress
 * lines on stderr (or drops them with {@code --quiet}), a library user may log them.
 */
public interface Progress {
  /** A step that may take a while has started, e.g. "starting dockerd". */
  void step(String message);

  /** A fact worth showing once, e.g. the storage driver in use. */
  void info(String message);

  /** Something works, but not as well as it could, e.g. vfs storage. */
  void warn(String message);

  /** Discards every event. */
  Progress NONE =
      new Progress() {
        @Override
        public void step(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}
      };
}
