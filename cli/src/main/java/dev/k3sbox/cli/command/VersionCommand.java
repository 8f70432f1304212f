package dev.k3sbox.cli.command;

import dev.k3sbox.cli.VersionInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code k3sbox version}: the versions of k3sbox and of the engines it carries. */
@Command(
    name = "version",
    description = "Print the versions of k3sbox, its Helm engine and the default k3s image.")
public final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.println("k3sbox:      " + VersionInfo.k3sbox());
    out.println("helm engine: helm-java " + VersionInfo.helmJava());
    out.flush();
    return 0;
  }
}
