package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Flags every subcommand takes: {@code -v/--verbose} and {@code -q/--quiet}. */
public final class GlobalOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show the cause chain and stack trace of errors, and more detail.")
  boolean verbose;

  @Option(
      names = {"-q", "--quiet"},
      description = "Show no progress lines; errors and warnings still show.")
  boolean quiet;

  /** The console of this command, writing to the command line's own out and err. */
  public Console console() {
    var cli = spec.commandLine();
    return new Console(cli.getOut(), cli.getErr(), quiet);
  }
}
