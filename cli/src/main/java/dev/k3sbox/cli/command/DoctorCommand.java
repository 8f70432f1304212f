package dev.k3sbox.cli.command;

import dev.k3sbox.cli.ExitCode;
import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.DockerDaemon;
import dev.k3sbox.core.doctor.Check;
import dev.k3sbox.core.doctor.Doctor;
import dev.k3sbox.core.doctor.DoctorReport;
import dev.k3sbox.core.doctor.Recommendation;
import dev.k3sbox.core.state.StateDir;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code k3sbox doctor}: the sandbox's Docker capability matrix, measured with short-lived probe
 * containers, and the privilege profile and network mode {@code up} will use here.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Measure what Docker can do here and how up will run.",
      "Probes storage, privilege, networks, mounts and builds with a local image (probes are"
          + " always removed), and says how `k3sbox up` will run here. Exits 0 when `up` can work"
          + " here, 3 when it cannot (the reason is on stderr)."
    })
public final class DoctorCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Option(
      names = "--json",
      description = "Print only the report as JSON on stdout (progress stays on stderr).")
  boolean json;

  @Option(
      names = "--fix",
      description =
          "Start dockerd when none answers (installing docker.io when root on apt systems).")
  boolean fix;

  @Option(
      names = "--image",
      paramLabel = "IMAGE",
      description =
          "Probe with this local image (it needs /bin/sh) and treat it as the one `up` runs;"
              + " default: the first local k3sbox/controlplane-standin, k3sbox/k3s, rancher/k3s"
              + " or k3sbox/busybox:local with a shell.")
  String image;

  /** How the daemon is found; tests point it at an address where nothing answers. */
  Function<Progress, DockerDaemon> daemons =
      progress -> DockerDaemon.fromEnvironment(StateDir.fromEnvironment(), progress);

  @Override
  public Integer call() {
    Console console = global.console();
    DoctorReport report =
        new Doctor(daemons.apply(console), console).run(new Doctor.Options(fix, image));
    PrintWriter out = console.out();
    if (json) {
      out.println(report.toJson());
    } else {
      printTable(report, out, console.colour());
      printRecommendation(report.recommendation(), out);
    }
    out.flush();
    if (!report.canRunUp()) {
      // The report is out; the reason goes the way of every error (ErrorReporter), exit 3.
      throw new K3sboxException(Failure.UNAVAILABLE, report.blockingReason().orElseThrow());
    }
    return ExitCode.OK.code();
  }

  private static void printTable(DoctorReport report, PrintWriter out, boolean colour) {
    int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(10) + 2;
    out.printf("   %-" + width + "s%s%n", "CHECK", "DETAIL");
    for (Check c : report.checks()) {
      out.printf(" %s %-" + width + "s%s%n", mark(c, colour), c.name(), c.detail());
    }
  }

  private static String mark(Check c, boolean colour) {
    String[] symbolAndColour =
        switch (c.status()) {
          case OK -> new String[] {"✓", "32"};
          case WARN -> new String[] {"⚠", "33"};
          case FAIL -> new String[] {"✗", "31"};
        };
    return colour
        ? "\u001b[" + symbolAndColour[1] + "m" + symbolAndColour[0] + "\u001b[0m"
        : symbolAndColour[0];
  }

  private static void printRecommendation(Recommendation r, PrintWriter out) {
    out.println();
    out.println("k3sbox up will use:");
    out.println(
        "  privilege profile: "
            + (r.privilegeProfile() == null ? "unknown" : r.privilegeProfile().label()));
    out.println(
        "  network mode:      " + (r.networkMode() == null ? "unknown" : r.networkMode().label()));
    out.println("  image:             " + (r.image() == null ? "none local yet" : r.image()));
    out.println("because:");
    r.reasons().forEach(reason -> out.println("  - " + reason));
  }
}
