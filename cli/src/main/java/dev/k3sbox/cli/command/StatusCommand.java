package dev.k3sbox.cli.command;

import dev.k3sbox.cli.ExitCode;
import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.cluster.ClusterStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code k3sbox status}: what state a cluster is in, and how it runs. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a cluster's state: running, stopped, absent or unhealthy.")
public final class StatusCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin ClusterNameOption cluster;

  @Option(
      names = {"--json"},
      description = "Print JSON on stdout (same as -o json).")
  boolean json;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  Format output;

  enum Format {
    text,
    json
  }

  @Override
  public Integer call() throws Exception {
    Console console = global.console();
    ClusterStatus s = ClusterManagers.fromEnvironment(console).status(cluster.name());
    if (json || output == Format.json) {
      console.out().println(s.toJson());
    } else {
      Map<String, Object> rows = new LinkedHashMap<>();
      rows.put("name", s.name());
      rows.put("state", s.state());
      rows.put("ready", s.ready());
      rows.put("server", s.server());
      rows.put("image", s.image());
      rows.put("kubernetes", s.kubernetesVersion());
      rows.put("privilege", s.privilegeProfile());
      rows.put("network", s.networkMode());
      rows.put("storage driver", s.storageDriver());
      rows.put("uptime", s.uptime());
      rows.put("memory", s.memory());
      rows.put("detail", s.detail());
      rows.forEach(
          (k, v) -> {
            if (v != null) {
              console.out().printf("%-15s %s%n", k + ":", v);
            }
          });
    }
    console.out().flush();
    // Scripts ask "is it up?" with the exit code, as with `kubectl cluster-info`.
    return "running".equals(s.state()) && s.ready() ? 0 : ExitCode.NOT_RUNNING.code();
  }
}
