package dev.k3sbox.cli.command;

import dev.k3sbox.cli.VersionInfo;
import dev.k3sbox.core.image.ImageBuilder;
import dev.k3sbox.core.image.ImageCatalog;
import dev.k3sbox.helm.render.HelmEngine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code k3sbox version}: the versions of k3sbox and of the engines it carries. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = {
      "Print the versions of k3sbox and its parts.",
      "k3sbox, its Helm engine, its Kubernetes client and the k3s images it prefers."
    })
public final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  // -q/-v as every command takes them (nothing here is progress or an error to expand).
  @Mixin GlobalOptions global;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.println("k3sbox:            " + VersionInfo.k3sbox());
    out.println(
        "helm engine:       "
            + HelmEngine.fromEnvironment()
                .map(e -> "Helm " + e.helmVersion() + " (" + e.binary() + ")")
                .orElse("helm-java " + VersionInfo.helmJava() + " (Helm's Go engine not built)"));
    out.println("kubernetes client: fabric8 " + VersionInfo.fabric8());
    out.println("k3s image:         " + ImageCatalog.RANCHER_PINNED + " (preferred when present)");
    out.println(
        "k3s from source:   " + ImageBuilder.K3S_MODULE + "@" + ImageBuilder.K3S_PINNED_VERSION);
    out.println(
        "stand-in image:    "
            + ImageCatalog.STANDIN_IMAGE
            + " (Kubernetes "
            + ImageCatalog.STANDIN_KUBERNETES_VERSION
            + ", not k3s)");
    out.flush();
    return 0;
  }
}
