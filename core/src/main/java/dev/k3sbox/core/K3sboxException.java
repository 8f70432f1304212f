package dev.k3sbox.core;

/**
 * The one exception type core throws. Its message is a single line saying what happened and what to
 * do about it; its {@link Failure} says which kind of failure it is (the CLI's exit code comes from
 * that); the cause chain is for {@code --verbose}.
 */
public class K3sboxException extends RuntimeException {
  private final Failure failure;

  public K3sboxException(Failure failure, String message) {
    this(failure, message, null);
  }

  public K3sboxException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
