package dev.k3sbox.cli;

import dev.k3sbox.cli.command.CompletionCommand;
import dev.k3sbox.cli.command.DoctorCommand;
import dev.k3sbox.cli.command.DownCommand;
import dev.k3sbox.cli.command.ImageCommand;
import dev.k3sbox.cli.command.InstallCommand;
import dev.k3sbox.cli.command.KubeconfigCommand;
import dev.k3sbox.cli.command.LogsCommand;
import dev.k3sbox.cli.command.StatusCommand;
import dev.k3sbox.cli.command.UninstallCommand;
import dev.k3sbox.cli.command.UpCommand;
import dev.k3sbox.cli.command.ValidateCommand;
import dev.k3sbox.cli.command.VersionCommand;
import dev.k3sbox.core.ExitCode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The root {@code k3sbox} command: a real Kubernetes API server for Helm work in a sandbox. */
@Command(
    name = "k3sbox",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "A real Kubernetes API server (k3s control plane) in a container, for Helm chart",
      "development and CI validation inside sandboxes where Docker only half works."
    },
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      KubeconfigCommand.class,
      LogsCommand.class,
      ValidateCommand.class,
      InstallCommand.class,
      UninstallCommand.class,
      DoctorCommand.class,
      ImageCommand.class,
      VersionCommand.class,
      CompletionCommand.class,
      HelpCommand.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {})
public final class K3sbox {

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new K3sbox());
    cli.getCommandSpec().usageMessage().exitCodeList(exitCodeTable());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler(new UsageErrorReporter());
    cli.setExitCodeExceptionMapper(ErrorReporter::exitCodeOf);
    cli.getCommandSpec().exitCodeOnUsageHelp(ExitCode.OK.code());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  static Map<String, String> exitCodeTable() {
    Map<String, String> table = new LinkedHashMap<>();
    Arrays.stream(ExitCode.values())
        .forEach(c -> table.put(String.format("%3d", c.code()), c.meaning()));
    return table;
  }
}
