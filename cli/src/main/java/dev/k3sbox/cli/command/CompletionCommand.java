package dev.k3sbox.cli.command;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code k3sbox completion bash|zsh}: a completion script for the shell. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a shell completion script.",
      "For bash:",
      "  source <(k3sbox completion bash)"
    })
public final class CompletionCommand implements Callable<Integer> {
  enum Shell {
    bash,
    zsh
  }

  @Spec CommandSpec spec;

  // -q/-v as every command takes them (nothing here is progress or an error to expand).
  @Mixin GlobalOptions global;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    // picocli's script serves bash and zsh alike (zsh through bashcompinit).
    String script = AutoComplete.bash("k3sbox", spec.root().commandLine());
    if (shell == Shell.zsh) {
      script = "autoload -U +X bashcompinit && bashcompinit\n" + script;
    }
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
