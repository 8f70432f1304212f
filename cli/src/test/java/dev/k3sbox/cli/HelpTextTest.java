package dev.k3sbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every {@code --help}, rendered at 80 columns as a terminal shows it, reads as whole sentences:
 * the command list shows one complete summary per command, and no description is split into lines
 * that end mid-sentence (picocli prints each element of a description array on its own line, so an
 * element must be a whole sentence or paragraph and picocli wraps it).
 */
class HelpTextTest {

  private static final int COLUMNS = 80;
  // A description element ends a sentence, introduces an example (":"), or is an example line.
  private static final Pattern WHOLE = Pattern.compile("(?s).*[.:)!?]$|^\\s{2,}\\S.*|^\\s*$");

  @Test
  void shouldGiveEachCommandAOneLineSummaryInTheCommandList() {
    CommandLine root = K3sbox.newCommandLine();
    List<String> problems = new ArrayList<>();
    for (CommandSpec spec : allCommands(root.getCommandSpec())) {
      if (spec == root.getCommandSpec() || spec.name().equals("help")) { // picocli's own
        continue;
      }
      String[] description = spec.usageMessage().description();
      String summary = description.length == 0 ? "" : description[0];
      // The list indents summaries by 14 columns ("  name        ").
      if (!summary.endsWith(".") || summary.length() > COLUMNS - 16) {
        problems.add(spec.qualifiedName() + ": '" + summary + "'");
      }
    }
    assertThat(problems).as("summaries that are not one whole sentence of one line").isEmpty();
  }

  @Test
  void shouldNeverEndADescriptionLineMidSentence() {
    List<String> problems = new ArrayList<>();
    for (CommandSpec spec : allCommands(K3sbox.newCommandLine().getCommandSpec())) {
      if (spec.name().equals("help")) {
        continue; // picocli's own HelpCommand
      }
      check(spec.qualifiedName(), spec.usageMessage().description(), problems);
      spec.options()
          .forEach(
              o -> check(spec.qualifiedName() + " " + o.longestName(), o.description(), problems));
      spec.positionalParameters()
          .forEach(
              p -> check(spec.qualifiedName() + " " + p.paramLabel(), p.description(), problems));
    }
    assertThat(problems).as("description lines cut mid-sentence").isEmpty();
  }

  @Test
  void shouldFitEveryHelpLineIntoEightyColumns() {
    List<String> problems = new ArrayList<>();
    for (CommandSpec spec : allCommands(K3sbox.newCommandLine().getCommandSpec())) {
      spec.usageMessage().width(COLUMNS);
      String help = spec.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
      help.lines()
          .filter(line -> line.length() > COLUMNS)
          .forEach(line -> problems.add(spec.qualifiedName() + ": " + line));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void shouldAcceptQuietAndVerboseOnEveryCommandAsTheReadmeSays() { // groups (image) aside
    List<String> missing = new ArrayList<>();
    for (CommandSpec spec : allCommands(K3sbox.newCommandLine().getCommandSpec())) {
      if (spec.parent() == null || spec.name().equals("help") || !spec.subcommands().isEmpty()) {
        continue;
      }
      for (String flag : List.of("-q", "--quiet", "-v", "--verbose")) {
        if (spec.findOption(flag) == null) {
          missing.add(spec.qualifiedName() + " " + flag);
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  private static void check(String where, String[] lines, List<String> problems) {
    for (String line : lines) {
      if (!WHOLE.matcher(line).matches()) {
        problems.add(where + ": '" + line + "'");
      }
    }
  }

  private static List<CommandSpec> allCommands(CommandSpec root) {
    List<CommandSpec> all = new ArrayList<>();
    all.add(root);
    for (CommandLine sub : root.subcommands().values()) {
      if (!all.contains(sub.getCommandSpec())) {
        all.addAll(allCommands(sub.getCommandSpec()));
      }
    }
    return all.stream().distinct().toList();
  }
}
