package dev.k3sbox.helm;

/**
 * The one exception helm-runner throws. Its message is a single line naming the problem (the file,
 * and the line where Helm reports one) and what to do about it; {@link #kind()} tells a caller
 * which exit code it deserves.
 */
public class HelmRunnerException extends RuntimeException {

  /** What went wrong, coarse enough to choose an exit code from. */
  public enum Kind {
    /** A missing or malformed input: chart path, values file, --set expression, kubeconfig. */
    USAGE,
    /** The chart itself could not be rendered (template error, bad Chart.yaml, bad deps). */
    RENDER,
    /** The cluster could not be reached, or rejected our credentials. */
    CLUSTER
  }

  private final Kind kind;

  public HelmRunnerException(Kind kind, String message) {
    this(kind, message, null);
  }

  public HelmRunnerException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
