package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.image.ImageBuildSpec;
import dev.k3sbox.core.image.ImageBuilder;
import dev.k3sbox.core.image.ImageCatalog;
import dev.k3sbox.core.image.KubernetesVersion;
import dev.k3sbox.core.image.LocalImages;
import dev.k3sbox.core.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code k3sbox image}: make, load and list server images without a container registry. */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    description = {
      "Make, load and list server images without a registry.",
      "k3s server images (or the stand-in) built or loaded on this machine, for machines with no"
          + " container registry."
    },
    subcommands = {ImageCommand.Build.class, ImageCommand.Load.class, ImageCommand.Ls.class})
public final class ImageCommand {

  static LocalImages images(Console console) {
    return new LocalImages(StateDir.fromEnvironment(), console);
  }

  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Build a server image locally.",
        "Without options: real k3s compiled from its Go module sources (needs Go and a Go module"
            + " proxy that serves k3s). --from-binary wraps a k3s binary you have. --standin"
            + " compiles upstream kube-apiserver, kube-controller-manager and etcd instead (not"
            + " k3s; for machines whose proxy does not serve k3s)."
      })
  static final class Build implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @ArgGroup(exclusive = true)
    Source source = new Source();

    static final class Source {
      @Option(names = "--from-binary", paramLabel = "PATH", description = "Wrap this k3s binary.")
      Path binary;

      @Option(names = "--standin", description = "Build the control-plane stand-in (not k3s).")
      boolean standin;

      @Option(
          names = "--k3s-version",
          paramLabel = "V",
          description =
              "k3s module version or commit to compile (default: "
                  + ImageBuilder.K3S_PINNED_VERSION
                  + ").")
      String k3sVersion;
    }

    @Option(
        names = "--kubernetes-version",
        paramLabel = "V",
        description =
            "With --standin (implied): the Kubernetes version, 1.34 to 1.37 (the newest patch the"
                + " Go proxy serves) or a patch like v1.36.1; tagged"
                + " k3sbox/controlplane-standin:<version> (default: "
                + ImageCatalog.STANDIN_KUBERNETES_VERSION
                + ").")
    String kubernetesVersion;

    @Option(
        names = "--tag",
        paramLabel = "T",
        description =
            "Image tag (default: k3sbox/k3s:<version>, or " + ImageCatalog.STANDIN_IMAGE + ").")
    String tag;

    @Override
    public Integer call() {
      Console console = global.console();
      Optional<String> t = Optional.ofNullable(tag);
      ImageBuildSpec spec;
      if (kubernetesVersion != null && (source.binary != null || source.k3sVersion != null)) {
        throw new K3sboxException(
            Failure.USAGE,
            "--kubernetes-version builds the stand-in; it cannot go with --from-binary or"
                + " --k3s-version (those bring their own version)");
      }
      if (source.binary != null) {
        spec = ImageBuildSpec.fromBinary(source.binary, t);
      } else if (kubernetesVersion != null) {
        spec = ImageBuildSpec.standin(KubernetesVersion.parse(kubernetesVersion), t);
      } else if (source.standin) {
        spec = ImageBuildSpec.standin(t);
      } else {
        spec = ImageBuildSpec.fromSource(Optional.ofNullable(source.k3sVersion), t);
      }
      var built = images(console).build(spec);
      console.done(
          (built.reused() ? "reused " : "built ")
              + built.tag()
              + String.format(" in %.1fs", built.took().toMillis() / 1000.0));
      console.out().println(built.tag());
      console.out().flush();
      return 0;
    }
  }

  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      description = {
        "Load images from a `docker save` tarball.",
        "A k3s airgap images tarball works too."
      })
  static final class Load implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Parameters(paramLabel = "FILE", description = "The tarball (.tar, or gzip-compressed).")
    Path file;

    @Override
    public Integer call() throws Exception {
      Console console = global.console();
      if (!Files.isRegularFile(file)) {
        throw new K3sboxException(
            Failure.USAGE, file + " is not a file; give the path of a `docker save` tarball");
      }
      console.step("loading " + file + " (" + Files.size(file) / (1024 * 1024) + " MiB)");
      List<String> loaded = images(console).load(file);
      console.done(
          "loaded "
              + String.join(", ", loaded)
              + " from "
              + file
              + "; `k3sbox image ls` lists what k3sbox can run");
      return 0;
    }
  }

  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description = "List local images k3sbox can run, best first.")
  static final class Ls implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Override
    public Integer call() {
      Console console = global.console();
      var images = images(console).list();
      var out = console.out();
      out.printf("%-48s %-10s %-22s %8s  %s%n", "IMAGE", "FLAVOR", "VERSION", "SIZE", "ORIGIN");
      for (var i : images) {
        out.printf(
            "%-48s %-10s %-22s %7dM  %s%n",
            i.reference(),
            i.flavor().name().toLowerCase(),
            i.version(),
            i.sizeBytes() / (1024 * 1024),
            i.source());
      }
      if (images.isEmpty()) {
        console.info("no usable images; " + dev.k3sbox.core.image.ImageResolver.howToMake());
      }
      out.flush();
      return 0;
    }
  }
}
