package dev.k3sbox.helm;

/**
 * Where helm-runner reports what it is doing. It never prints: the CLI turns these events into
 * progress lines, a library user may log them or ignore them with {@link #NONE}.
 */
public interface HelmListener {
  /** A step that may take a while has started, e.g. "rendering chart demo". */
  void step(String message);

  /** A fact worth showing once. */
  void info(String message);

  /** Something the user should know about, e.g. an admission webhook in the chart. */
  void warn(String message);

  /** Discards every event. */
  HelmListener NONE =
      new HelmListener() {
        @Override
        public void step(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}
      };
}
