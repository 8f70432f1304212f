package dev.k3sbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.cli.command.CliRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class K3sboxTest {

  @Test
  void shouldModelOnlyTheSubcommandItRuns() {
    assertThat(K3sbox.newCommandLine(new String[] {"up", "--name", "dev"}).getSubcommands())
        .containsOnlyKeys("up");
    assertThat(K3sbox.newCommandLine(new String[] {"validate"}).getSubcommands())
        .containsOnlyKeys("validate");
  }

  @Test
  void shouldModelEveryCommandWhereTheWholeTreeIsShownOrGuessed() {
    var all = K3sbox.newCommandLine().getSubcommands().keySet();
    assertThat(all).contains("up", "down", "validate", "help", "completion");
    for (String[] args :
        new String[][] {
          {}, {"--help"}, {"help", "up"}, {"completion", "bash"}, {"upp"}, {"--name", "up"}
        }) {
      assertThat(K3sbox.newCommandLine(args).getSubcommands().keySet())
          .as("%s", (Object) args)
          .containsExactlyElementsOf(all);
    }
  }

  @Test
  void shouldShowEachCommandsUsageForHelpEvenWithoutItsRequiredArguments() {
    for (var entry : K3sbox.newCommandLine().getSubcommands().entrySet()) {
      String command = entry.getKey(); // a name or an alias (ls)
      // When
      CliRun run = CliRun.of(command, "--help");

      // Then
      assertThat(run.exitCode()).as("%s --help: %s", command, run.err()).isZero();
      assertThat(run.out())
          .as(command)
          .contains("Usage: k3sbox " + entry.getValue().getCommandName());
    }
  }

  @Test
  void shouldSuggestTheNearestCommandForAMistypedOne() {
    StringWriter err = new StringWriter();
    CommandLine cli = K3sbox.newCommandLine(new String[] {"statuss"});
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute("statuss")).isEqualTo(2);
    assertThat(err.toString()).contains("Did you mean: k3sbox status ");
  }

  @Test
  void shouldListEveryCommandInTheCompletionScript() {
    StringWriter out = new StringWriter();
    CommandLine cli = K3sbox.newCommandLine(new String[] {"completion", "bash"});
    cli.setOut(new PrintWriter(out));

    assertThat(cli.execute("completion", "bash")).isZero();
    assertThat(out.toString()).contains("uninstall", "kubeconfig", "doctor");
  }
}
