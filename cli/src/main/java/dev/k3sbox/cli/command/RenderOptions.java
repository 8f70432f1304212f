package dev.k3sbox.cli.command;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.render.RenderSpec;
import dev.k3sbox.helm.render.SetExpression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The render flags {@code validate} and {@code install} share, as {@code helm template} has them.
 */
public final class RenderOptions {
  /** The CHART parameter's help, for the commands that take one chart. */
  static final String ONE_CHART =
      "A chart as Helm takes it: a folder, a .tgz, an https:// URL of one,"
          + " oci://host/path/chart, repo/name (helm repo add), or a name with --repo.";

  // Commands with these flags take Helm's --version (the chart's), so they cannot have picocli's
  // standard -V/--version; their help flag is here instead.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = {"-f", "--values"},
      paramLabel = "FILE",
      description = "A values file; repeat for more, later files win.")
  List<Path> valuesFiles = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      converter = SetConverter.class,
      description = "Set a value (a.b=1,c=2); repeatable.")
  List<SetExpression> set = new ArrayList<>();

  @Option(
      names = "--set-string",
      paramLabel = "KEY=VALUE",
      converter = SetStringConverter.class,
      description = "Set a value kept as a string; repeatable. Applied before --set.")
  List<SetExpression> setString = new ArrayList<>();

  @Option(
      names = "--release",
      paramLabel = "NAME",
      description = "The release name (default: the chart's name).")
  String release;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      defaultValue = "default",
      description = "The release namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--kube-version",
      paramLabel = "VERSION",
      description =
          "The Kubernetes version for .Capabilities, e.g. v1.35.0 (default: the target"
              + " cluster's).")
  String kubeVersion;

  @Option(
      names = "--api-versions",
      paramLabel = "GROUP/VERSION",
      split = ",",
      description =
          "Add API versions to .Capabilities.APIVersions (as Helm's flag); repeatable or"
              + " comma-separated.")
  List<String> apiVersions = new ArrayList<>();

  @Option(
      names = "--version",
      paramLabel = "VERSION",
      description = "The chart version to fetch (a repository or OCI chart; default: the latest).")
  String chartVersion;

  @Option(
      names = "--repo",
      paramLabel = "URL",
      description = "The chart repository to find CHART in, as `helm install --repo`.")
  String repo;

  @Option(names = "--plain-http", description = "Reach an OCI registry over plain HTTP.")
  boolean plainHttp;

  @Option(
      names = "--insecure-skip-tls-verify",
      description = "Do not check the certificate of a chart repository or registry.")
  boolean insecureSkipTlsVerify;

  public RenderSpec spec(String chart) {
    return new RenderSpec(
        chart,
        valuesFiles.stream().map(RenderOptions::orStdin).toList(),
        set,
        setString,
        release,
        namespace,
        kubeVersion,
        chartVersion,
        repo,
        apiVersions,
        plainHttp,
        insecureSkipTlsVerify);
  }

  private static Path stdinValues;

  /**
   * {@code -f -}: the values on standard input, as Helm takes them, read once into a private file
   * (removed when the JVM exits) that the engine reads like any other.
   */
  private static synchronized Path orStdin(Path file) {
    if (!file.toString().equals("-")) {
      return file;
    }
    if (stdinValues == null) {
      try {
        Path copy =
            Files.createTempFile(
                "k3sbox-values-",
                ".yaml",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        copy.toFile().deleteOnExit();
        Files.write(copy, System.in.readAllBytes());
        stdinValues = copy;
      } catch (IOException e) {
        throw new K3sboxException(
            Failure.USAGE, "cannot read values from standard input (-f -): " + e.getMessage(), e);
      }
    }
    return stdinValues;
  }

  /**
   * Reads each --set once, while parsing flags: a malformed one is a usage error like any other,
   * and the renderer gets it already split.
   */
  static class SetConverter implements ITypeConverter<SetExpression> {
    String flag() {
      return "--set";
    }

    @Override
    public SetExpression convert(String value) {
      try {
        return SetExpression.parse(flag(), value);
      } catch (HelmRunnerException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class SetStringConverter extends SetConverter {
    @Override
    String flag() {
      return "--set-string";
    }
  }
}
