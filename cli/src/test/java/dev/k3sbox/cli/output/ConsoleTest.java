package dev.k3sbox.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ConsoleTest {
  private final StringWriter err = new StringWriter();
  private final Console console =
      new Console(new PrintWriter(new StringWriter()), new PrintWriter(err), true, false);

  @Test
  void saysEachWarningOnceEvenWhenQuiet() {
    console.warn("Deployment/a has no resources");
    console.warn("Deployment/b has no resources");
    console.warn("Deployment/a has no resources");
    console.step("rendering");

    assertThat(err.toString().lines())
        .hasSize(2)
        .allMatch(line -> line.startsWith("! ["))
        .anyMatch(line -> line.endsWith("warning: Deployment/a has no resources"))
        .anyMatch(line -> line.endsWith("warning: Deployment/b has no resources"));
  }
}
