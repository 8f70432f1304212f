package dev.k3sbox.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A main class of this JVM's class path in a child JVM, so that it can be killed or interrupted
 * like a real process; stdout and stderr go to files. It may run under a given umask, with extra
 * environment, and its SIGINT is always deliverable: a process inherits an ignored SIGINT from a
 * parent started in the background (a shell's {@code &}, {@code nohup}), and the JVM then installs
 * no handler for it, so {@code kill -INT} would do nothing.
 *
 * @param out the file its stdout goes to
 * @param err the file its stderr (k3sbox's progress lines) goes to
 */
public record ChildJvm(Process process, Path out, Path err) {
  private static final boolean ENV_RESETS_SIGNALS = envResetsSignals();
  // Maven runs the integration tests in it-tests/, beside cli/.
  private static final Path JVM_OPTIONS =
      Path.of("..", "cli", "jvm.options").toAbsolutePath().normalize();

  /** Starts {@code mainClass}; {@code env} adds to or overrides this JVM's environment. */
  public static ChildJvm start(
      Path dir, Map<String, String> env, String umask, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    if (umask != null) {
      command.addAll(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
    }
    if (ENV_RESETS_SIGNALS) {
      command.addAll(List.of("env", "--default-signal=INT"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + JVM_OPTIONS); // the flags ./k3sbox gives every command
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    try {
      Files.createDirectories(dir);
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putAll(env);
      return new ChildJvm(pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends SIGINT, as Ctrl-C in a terminal does. */
  public void interrupt() throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -INT").isZero();
  }

  /**
   * Waits until its stderr shows {@code text} or it has ended, whichever comes first: a child that
   * fails early ends the wait instead of running out the clock.
   */
  public void awaitErr(String text, Duration atMost) {
    // reading a file is cheap: every 20 ms
    awaitWhileAlive(
        "\"" + text + "\" on stderr",
        atMost,
        Duration.ofMillis(20),
        () -> read(err).contains(text));
  }

  /** Waits until {@code condition} holds or it has ended, as {@link #awaitErr} does. */
  public void awaitWhileAlive(String what, Duration atMost, Callable<Boolean> condition) {
    // conditions ask Docker: not too often
    awaitWhileAlive(what, atMost, Duration.ofMillis(50), condition);
  }

  private void awaitWhileAlive(
      String what, Duration atMost, Duration every, Callable<Boolean> condition) {
    Awaitility.await(what)
        .atMost(atMost)
        .pollInterval(every)
        .until(() -> condition.call() || !process.isAlive());
  }

  /** Sends SIGKILL, as {@code kill -9} does: no shutdown hook runs. Returns what it printed. */
  public Result kill() {
    process.destroyForcibly();
    return await(Duration.ofMinutes(1));
  }

  /** Waits for the exit (failing after {@code atMost}) and returns what it printed. */
  public Result await(Duration atMost) {
    try {
      if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("the child did not exit within " + atMost + ": " + read(err));
      }
      return new Result(process.exitValue(), read(out), read(err));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GNU env 8.31+ can restore default dispositions; elsewhere SIGINT is whatever we inherited. */
  private static boolean envResetsSignals() {
    try {
      return new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A finished run: exit code and what it printed. */
  public record Result(int exitCode, String out, String err) {
    /** The lines starting with "error:" on stderr. */
    public List<String> errorLines() {
      return err.lines().filter(l -> l.startsWith("error:")).toList();
    }
  }
}
