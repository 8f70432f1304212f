package dev.k3sbox.cli.command;

import dev.k3sbox.cli.output.Console;
import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.HelmRunnerException;

/** Where helm-runner meets the CLI: its events become console lines, its errors exit codes. */
final class HelmBridge {
  private HelmBridge() {}

  static HelmListener listener(Console console) {
    return new HelmListener() {
      @Override
      public void step(String message) {
        console.step(message);
      }

      @Override
      public void info(String message) {
        console.info(message);
      }

      @Override
      public void warn(String message) {
        console.warn(message);
      }
    };
  }

  /** USAGE → exit 2; a chart that does not render or a cluster out of reach → exit 3. */
  static K3sboxException toK3sbox(HelmRunnerException e) {
    ExitCode code =
        switch (e.kind()) {
          case USAGE -> ExitCode.USAGE;
          case RENDER, CLUSTER -> ExitCode.UNAVAILABLE;
        };
    return new K3sboxException(code, e.getMessage(), e);
  }
}
