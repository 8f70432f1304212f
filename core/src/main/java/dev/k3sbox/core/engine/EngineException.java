package dev.k3sbox.core.engine;

/**
 * A request the container engine refused or could not answer.
 *
 * @see #reason
 */
public final class EngineException extends RuntimeException {
  /** HTTP-like status: 404 not found, 409 conflict, 0 when the engine could not be reached. */
  private final int status;

  private final String reason;

  public EngineException(int status, String reason, Throwable cause) {
    super(reason, cause);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  /** The daemon's own words, one line ("Conflict. The container name ... is already in use"). */
  public String reason() {
    return reason;
  }
}
