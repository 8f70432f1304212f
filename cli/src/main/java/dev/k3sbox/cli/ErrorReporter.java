package dev.k3sbox.cli;

import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.helm.HelmRunnerException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns any failure of a command into one line on stderr and its documented exit code. The cause
 * chain (and a stack trace) is shown only with {@code --verbose}.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    err.println("error: " + messageOf(ex));
    if (isVerbose(parseResult)) {
      for (Throwable t = ex.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
        err.println("  caused by: " + t);
      }
      ex.printStackTrace(err);
    } else if (!(ex instanceof K3sboxException) && !(ex instanceof HelmRunnerException)) {
      err.println("  (run again with --verbose for the cause)");
    }
    err.flush();
    return exitCodeOf(ex);
  }

  static int exitCodeOf(Throwable ex) {
    if (ex instanceof K3sboxException k) {
      return ExitCode.of(k.failure()).code();
    }
    if (ex instanceof HelmRunnerException h) {
      return exitCodeOf(h.kind()).code();
    }
    if (ex instanceof InterruptedException) {
      return ExitCode.INTERRUPTED.code();
    }
    return ExitCode.INVALID.code();
  }

  private static String messageOf(Throwable ex) {
    String message = ex.getMessage();
    if (message == null || message.isBlank()) {
      message = ex.getClass().getSimpleName();
    }
    // One line, as every error is, but nothing of it lost: a daemon's or server's answer often
    // puts its reason on the second line. Very long ones are cut (--verbose shows them whole).
    String line =
        String.join(
            " ", message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    return line.length() <= LONGEST ? line : line.substring(0, LONGEST) + " ...";
  }

  private static final int LONGEST = 1000;

  private static boolean isVerbose(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /**
   * helm-runner's failures, which do not know the CLI's exit codes: a usage mistake exits 2; a
   * chart that does not render or a cluster out of reach, 3.
   */
  static ExitCode exitCodeOf(HelmRunnerException.Kind kind) {
    return switch (kind) {
      case USAGE -> ExitCode.USAGE;
      case RENDER, CLUSTER -> ExitCode.UNAVAILABLE;
    };
  }
}
