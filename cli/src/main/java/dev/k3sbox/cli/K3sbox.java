package dev.k3sbox.cli;

import dev.k3sbox.cli.command.CompletionCommand;
import dev.k3sbox.cli.command.DoctorCommand;
import dev.k3sbox.cli.command.DownCommand;
import dev.k3sbox.cli.command.ImageCommand;
import dev.k3sbox.cli.command.InstallCommand;
import dev.k3sbox.cli.command.KubeconfigCommand;
import dev.k3sbox.cli.command.ListCommand;
import dev.k3sbox.cli.command.LogsCommand;
import dev.k3sbox.cli.command.StatusCommand;
import dev.k3sbox.cli.command.TemplateCommand;
import dev.k3sbox.cli.command.UninstallCommand;
import dev.k3sbox.cli.command.UpCommand;
import dev.k3sbox.cli.command.ValidateCommand;
import dev.k3sbox.cli.command.VersionCommand;
import dev.k3sbox.helm.render.HelmEngine;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The root {@code k3sbox} command: a real Kubernetes API server for Helm work in a sandbox. */
@Command(
    name = "k3sbox",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "A real Kubernetes API server (k3s control plane) in a container, for Helm chart"
          + " development and CI validation inside sandboxes where Docker only half works."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {})
public final class K3sbox {
  static {
    // Before its first command, picocli looks for Groovy's Closure class by name. k3sbox has no
    // Groovy, and the miss opens every jar on the class path: about 40 ms for the commands that
    // otherwise never open them all (version, kubeconfig, help).
    System.setProperty("picocli.disable.closures", "true");
    // Picocli finds its converters for java.sql and java.time types by reflection, ~7 ms of every
    // start (async-profiler). No k3sbox option has such a type (--timeout has its own converter).
    System.setProperty("picocli.converters.excludes", "java\\.sql\\..*,java\\.time\\..*");
  }

  /**
   * The subcommands, in the order help lists them. Picocli builds a command's model by reflection
   * over its options, about 0.1 s for all of them in a fresh JVM: {@link #main} builds only the one
   * it runs.
   */
  private static final List<String> SUBCOMMANDS =
      List.of(
          "up",
          "down",
          "status",
          "list",
          "kubeconfig",
          "logs",
          "validate",
          "template",
          "install",
          "uninstall",
          "doctor",
          "image",
          "version",
          "completion",
          "help");

  /** Subcommands that describe the whole command tree, and so need all of it. */
  private static final Set<String> ABOUT_ALL = Set.of("help", "completion");

  // A switch, not a map of constructor references: each reference is linked at its first use,
  // ~7 ms for thirteen in a fresh JVM, where the command line uses one.
  private static Object newSubcommand(String name) {
    return switch (name) {
      case "up" -> new UpCommand();
      case "down" -> new DownCommand();
      case "status" -> new StatusCommand();
      case "list", "ls" -> new ListCommand();
      case "kubeconfig" -> new KubeconfigCommand();
      case "logs" -> new LogsCommand();
      case "validate" -> new ValidateCommand();
      case "template" -> new TemplateCommand();
      case "install" -> new InstallCommand();
      case "uninstall" -> new UninstallCommand();
      case "doctor" -> new DoctorCommand();
      case "image" -> new ImageCommand();
      case "version" -> new VersionCommand();
      case "completion" -> new CompletionCommand();
      case "help" -> new HelpCommand();
      default -> throw new IllegalArgumentException("no subcommand " + name);
    };
  }

  public static void main(String[] args) {
    boolean charts = args.length > 0 && HELM_FAMILY.contains(args[0]);
    if (charts) {
      endOnSigterm();
    }
    int code = run(args);
    if (charts) {
      HelmEngine.stopEngines(); // or the exit waits 0.3 s for their readers (see there)
    }
    System.exit(code);
  }

  /**
   * Makes SIGTERM (CI's timeout, docker stop) end a chart command as Ctrl-C does: shutdown hooks
   * remove what the run created, and the exit code is 130, not the JVM's 143. For the JVMs that run
   * chart commands: {@link #main}'s and the warm one.
   */
  public static void endOnSigterm() {
    sun.misc.Signal.handle(
        new sun.misc.Signal("TERM"), s -> System.exit(ExitCode.INTERRUPTED.code()));
  }

  /** Commands that talk to a cluster through helm-runner. */
  private static final Set<String> HELM_FAMILY =
      Set.of("validate", "template", "install", "uninstall");

  /** Runs one command line as {@link #main} does, short of exiting: its exit code. */
  public static int run(String... args) {
    return newCommandLine(args).execute(args);
  }

  /** The configured command line with every subcommand, as the tests and help use it. */
  public static CommandLine newCommandLine() {
    return withSubcommands(SUBCOMMANDS);
  }

  /**
   * The command line for {@code args}: with only the subcommand they name, when they start with
   * one, else (a root option, a mistyped name, help or completion) with all, so that help,
   * suggestions and completion scripts are complete. The rest of {@code args} belongs to that
   * subcommand and cannot name another.
   */
  public static CommandLine newCommandLine(String[] args) {
    String first = args.length == 0 ? "" : args[0];
    boolean one = SUBCOMMANDS.contains(first) && !ABOUT_ALL.contains(first);
    return withSubcommands(one ? List.of(first) : SUBCOMMANDS);
  }

  private static CommandLine withSubcommands(Collection<String> names) {
    CommandLine cli = new CommandLine(new K3sbox());
    for (String name : names) {
      cli.addSubcommand(name, newSubcommand(name));
    }
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
