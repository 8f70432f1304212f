package dev.k3sbox.core.engine;

/**
 * What a finished command in a container said.
 *
 * @param exitCode -1 where the engine did not tell
 * @param output its standard output and error, interleaved as the engine sent them
 */
public record CommandResult(long exitCode, String output) {
  public boolean succeeded() {
    return exitCode == 0;
  }
}
