package dev.k3sbox.core;

/**
 * The one exception type core throws. Its message is a single line saying what happened and what to
 * do about it; the cause chain is for {@code --verbose}.
 */
public class K3sboxException extends RuntimeException {
  private final ExitCode exitCode;

  public K3sboxException(ExitCode exitCode, String message) {
    this(exitCode, message, null);
  }

  public K3sboxException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
