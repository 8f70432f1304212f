package dev.k3sbox.cli.output;

/**
 * Whether the command's output is a terminal. In a JVM of its own that is {@link System#console()}
 * (stdin and stdout both terminals); a warm JVM serves commands run elsewhere, so it is told for
 * each command through {@value #PROPERTY}, as its launcher saw its own terminal.
 */
public final class Terminal {
  /** "true" or "false", set by the warm JVM for the command it serves; unset otherwise. */
  public static final String PROPERTY = "k3sbox.terminal";

  private Terminal() {}

  public static boolean attached() {
    String told = System.getProperty(PROPERTY);
    return told != null ? Boolean.parseBoolean(told) : System.console() != null;
  }
}
