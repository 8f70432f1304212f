package dev.k3sbox.it.support;

import dev.k3sbox.cli.K3sbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Runs the real k3sbox command line in-process, with stdout and stderr captured. */
public record Cli(int exitCode, String out, String err) {

  public static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = K3sbox.newCommandLine(args); // as main builds it: only the subcommand that runs
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** A chart under src/test/resources/charts. */
  public static Path chart(String name) {
    try {
      return Path.of(Cli.class.getResource("/charts/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
