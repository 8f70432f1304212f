package dev.k3sbox.cli.command;

import dev.k3sbox.cli.ExitCode;
import dev.k3sbox.cli.output.Console;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.ObjectRef;
import dev.k3sbox.helm.install.Installer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code k3sbox uninstall RELEASE}: deletes exactly what {@code install} applied. */
@Command(
    name = "uninstall",
    mixinStandardHelpOptions = true,
    description = {
      "Delete exactly the objects of a release that install applied.",
      "Keeps what Helm keeps: CRDs from crds/ and objects annotated"
          + " helm.sh/resource-policy: keep."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:uninstalled",
      "2:bad flags, or no such release in the namespace",
      "3:the cluster could not be reached"
    })
public final class UninstallCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin KubeTargetOptions target;

  @Parameters(paramLabel = "RELEASE", description = "The release to remove.")
  String release;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      defaultValue = "default",
      description = "The release namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description = "How long to wait for the objects to be gone (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    Console console = global.console();
    try (ClusterConnection connection = ClusterConnection.open(target.target())) {
      List<ObjectRef> deleted =
          new Installer(connection, console).uninstall(release, namespace, timeout);
      deleted.forEach(r -> console.out().println("deleted  " + r.display()));
      console.out().flush();
      console.done("release " + release + " uninstalled (" + deleted.size() + " objects)");
      return ExitCode.OK.code();
    }
  }
}
