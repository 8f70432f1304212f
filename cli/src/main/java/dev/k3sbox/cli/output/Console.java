package dev.k3sbox.cli.output;

import dev.k3sbox.core.Progress;
import dev.k3sbox.helm.HelmListener;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders progress for people: on stderr, one plain line per step with the elapsed time, so logs of
 * CI runs read well; colour only on a terminal and never with {@code NO_COLOR}. Machine output
 * (JSON, reports) goes to stdout through {@link #out()} and nothing else does.
 */
public final class Console implements Progress, HelmListener {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean quiet;
  private final boolean colour;
  private final long started = System.nanoTime();

  /** The warnings said so far: a matrix's cells find the same webhook on every server. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public Console(PrintWriter out, PrintWriter err, boolean quiet) {
    this(out, err, quiet, Terminal.attached() && System.getenv("NO_COLOR") == null);
  }

  public Console(PrintWriter out, PrintWriter err, boolean quiet, boolean colour) {
    this.out = out;
    this.err = err;
    this.quiet = quiet;
    this.colour = colour;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public boolean colour() {
    return colour;
  }

  @Override
  public void step(String message) {
    line("•", "36", message);
  }

  @Override
  public void info(String message) {
    line(" ", "0", message);
  }

  @Override
  public void warn(String message) {
    // Warnings show even with --quiet: they are about the user's setup. Each once per command:
    // the report still has every object's warnings, for each cell of a matrix.
    if (warned.add(message)) {
      emit("!", "33", "warning: " + message);
    }
  }

  /** A finished step, e.g. "cluster default is ready". */
  public void done(String message) {
    line("✓", "32", message);
  }

  private void line(String mark, String ansi, String message) {
    if (!quiet) {
      emit(mark, ansi, message);
    }
  }

  private void emit(String mark, String ansi, String message) {
    String elapsed = String.format("%5.1fs", (System.nanoTime() - started) / 1e9);
    String head = colour ? "\u001b[" + ansi + "m" + mark + "\u001b[0m" : mark;
    err.println(head + " [" + elapsed + "] " + message);
    err.flush();
  }
}
