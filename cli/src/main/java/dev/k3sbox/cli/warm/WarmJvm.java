package dev.k3sbox.cli.warm;

import dev.k3sbox.cli.ExitCode;
import dev.k3sbox.cli.K3sbox;
import dev.k3sbox.cli.output.Terminal;
import dev.k3sbox.cli.training.CdsTraining;
import dev.k3sbox.core.state.FileTrees;
import dev.k3sbox.core.state.ProcessLock;
import dev.k3sbox.helm.render.HelmEngine;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JVM that has already run k3sbox's chart code, serving {@code validate} and {@code template} for
 * the launcher's front (warm-client/main.go) on a Unix socket: a command then takes ~0.2 s where a
 * fresh JVM spends ~0.8 s loading and first running that code.
 *
 * <p>Each command still runs as it would in a JVM of its own ({@link K3sbox#run}, its output on the
 * launcher's stdout and stderr, its exit code the launcher's), one at a time; a second one
 * meanwhile is told to run cold. Helm's engine is kept for the next command, which it renders
 * afresh (the chart read and the cluster asked again; see EngineServer#nextCommand). A signal the
 * launcher receives is passed on here and ends the command as in a JVM of its own: its scratch
 * objects removed, exit 130; this JVM ends with it, and the next command starts another.
 *
 * <p>It serves one folder and one environment, those of the command that started it (its children
 * inherit them), and one build: the socket's name is their digest, and a lock file beside it keeps
 * a second JVM from serving the same. It ends when its socket is removed, when the CLI is rebuilt
 * (each after the command it serves), or after {@link #IDLE} without a command ({@link
 * #IDLE_UNUSED} if it has served none).
 */
public final class WarmJvm {
  /** How long a warm JVM waits for a command before it ends (it holds ~150 MB meanwhile). */
  static final Duration IDLE = Duration.ofMinutes(30);

  /** How long one that has served no command waits (one started for a folder visited once). */
  static final Duration IDLE_UNUSED = Duration.ofMinutes(5);

  private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

  /** This JVM's own stdout (its log file): System.out is a command's while one runs. */
  private static final PrintStream LOG = System.out;

  private final Path socket;
  private final JarStamp jar;

  /**
   * Kept reachable: a FileChannel nobody references is closed by its cleaner, and the lock lost.
   */
  private final ProcessLock lock;

  private final Semaphore one = new Semaphore(1);
  private final AtomicLong lastUsed = new AtomicLong(System.nanoTime());
  private final AtomicLong served = new AtomicLong();
  private volatile boolean ready;
  private volatile boolean finishing;

  private WarmJvm(Path socket, JarStamp jar, ProcessLock lock) {
    this.socket = socket;
    this.jar = jar;
    this.lock = lock;
  }

  /** {@code WarmJvm SOCKET PID}: serves on SOCKET once process PID (the cold command) has ended. */
  public static void main(String[] args) throws Exception {
    Path socket = Path.of(args[0]);
    long after = Long.parseLong(args[1]);
    // As a chart command in a JVM of its own: SIGINT by the JVM's default.
    K3sbox.endOnSigterm();
    // Held for this JVM's life (the kernel releases it however it ends).
    Optional<ProcessLock> lock = ProcessLock.tryAcquire(sibling(socket, ".lock"));
    if (lock.isEmpty()) {
      log("another warm JVM serves " + socket);
      return;
    }
    // What a killed one left is not answered by anybody: it is replaced.
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
    } catch (IOException | UnsupportedOperationException e) {
      // A file system without Unix sockets, say: the front starts no other for an hour.
      Files.writeString(sibling(socket, ".failed"), "cannot listen on " + socket + ": " + e + "\n");
      log("cannot listen on " + socket + ": " + e);
      return;
    }
    Files.deleteIfExists(sibling(socket, ".failed"));
    WarmJvm jvm = new WarmJvm(socket, JarStamp.of(WarmJvm.class), lock.get());
    Runtime.getRuntime().addShutdownHook(new Thread(jvm::removeSocket, "warm-jvm-socket"));
    Thread acceptor = new Thread(() -> jvm.accept(server), "warm-jvm-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    ProcessHandle.of(after).ifPresent(p -> p.onExit().join());
    jvm.warmUp();
    jvm.ready = true;
    log("ready on " + socket);
    String why = jvm.watch();
    log("ending: " + why);
    System.exit(0);
  }

  /**
   * Runs the chart commands' workload once (CdsTraining's), in a scratch folder: what the first
   * served command would otherwise pay for (~0.6 s of a grafana validate), its output nowhere.
   */
  private void warmUp() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    Path dir = null;
    try (PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream())) {
      System.setOut(nowhere);
      System.setErr(nowhere);
      dir = Files.createTempDirectory("k3sbox-warm-up");
      CdsTraining.helm(dir);
    } catch (IOException | RuntimeException e) {
      log("warm-up failed (commands are served all the same): " + e);
    } finally {
      System.setOut(out);
      System.setErr(err);
      HelmEngine.stopEngines();
      if (dir != null) {
        FileTrees.deleteQuietly(dir);
      }
    }
  }

  private void accept(ServerSocketChannel server) {
    while (true) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        log("stopped listening: " + e);
        return;
      }
      Thread t = new Thread(() -> answer(client), "warm-jvm-command");
      t.start();
    }
  }

  private void answer(SocketChannel client) {
    try (client) {
      Frames frames = new Frames(client);
      WarmRequest request = WarmRequest.read(Channels.newInputStream(client));
      Optional<String> cold = request.coldReason();
      if (cold.isEmpty() && !ready) {
        cold = Optional.of("still warming up");
      }
      if (cold.isEmpty() && jar.changed()) {
        cold = Optional.of("the CLI was rebuilt");
      }
      // A command that has sent its exit code is only tidying up (its engine, the heap): ~0.1 s.
      if (cold.isEmpty() && !one.tryAcquire(finishing ? 2 : 0, TimeUnit.SECONDS)) {
        cold = Optional.of("busy with another command");
      }
      if (cold.isPresent()) {
        frames.write(Frames.COLD, cold.get());
        return;
      }
      try {
        run(request, frames);
      } finally {
        lastUsed.set(System.nanoTime());
        touchSocket();
        one.release();
        finishing = false;
      }
    } catch (IOException e) {
      log("a command's launcher went away: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run(WarmRequest request, Frames frames) throws IOException {
    frames.write(Frames.SERVING, Long.toString(ProcessHandle.current().pid()));
    Charset charset = Charset.defaultCharset();
    PrintStream out = new PrintStream(buffered(frames.stream(Frames.STDOUT)), true, charset);
    PrintStream err = new PrintStream(buffered(frames.stream(Frames.STDERR)), true, charset);
    PrintStream ownOut = System.out;
    PrintStream ownErr = System.err;
    int code;
    Throwable broken = null;
    System.setOut(out);
    System.setErr(err);
    System.setProperty(Terminal.PROPERTY, Boolean.toString(request.terminal()));
    try {
      long number = served.incrementAndGet();
      if (request.verbose()) {
        err.printf(
            "k3sbox: served by a warm JVM (pid %d, its command %d)%n",
            ProcessHandle.current().pid(), number);
      }
      code = K3sbox.run(request.args().toArray(String[]::new));
    } catch (Throwable t) { // what picocli does not catch: an Error
      broken = t;
      err.println("error: internal error in k3sbox's warm JVM: " + t);
      if (request.verbose()) {
        t.printStackTrace(err);
      }
      code = ExitCode.INVALID.code();
    } finally {
      out.flush();
      err.flush();
      System.setOut(ownOut);
      System.setErr(ownErr);
      System.clearProperty(Terminal.PROPERTY);
    }
    // Until the permit is released (answer), a command that comes meanwhile waits for it.
    finishing = true;
    try {
      frames.write(Frames.EXIT, Integer.toString(code)); // fails if the launcher went away
    } finally {
      // The engine serves the next command too: it loads the chart and asks the cluster afresh
      // for each, and keeps what it knows by content (kube-prometheus-stack's templates parsed,
      // its 9 MB of documents converted and sent: ~0.3 s of a warm validate of it).
      HelmEngine.nextCommand();
      if (broken != null) {
        // After an Error (out of memory) this JVM serves nothing more; the next command starts
        // another.
        log("ending after " + broken);
        System.exit(ExitCode.INVALID.code());
      }
      // Give back what the command's heap grew by while nothing is asked: the serial collector
      // returns memory to the system after a full collection.
      System.gc();
    }
  }

  private static OutputStream buffered(OutputStream frames) {
    return new BufferedOutputStream(frames, 8192);
  }

  /**
   * Waits until this JVM should end, and says why; a command it serves meanwhile ends first (and
   * any other is told to run cold).
   */
  private String watch() throws InterruptedException {
    while (true) {
      Thread.sleep(CHECK_EVERY.toMillis()); // a daemon's timer: nothing to wait on instead
      String why = null;
      if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        why = "its socket was removed";
      } else if (jar.changed()) {
        why = "the CLI was rebuilt";
      }
      if (why != null) {
        one.acquire();
        return why;
      }
      Duration limit = served.get() == 0 ? IDLE_UNUSED : IDLE;
      boolean idle = System.nanoTime() - lastUsed.get() > limit.toNanos();
      if (idle && one.tryAcquire()) {
        return "no command for " + limit.toMinutes() + " minutes";
      }
    }
  }

  /** Marks the socket used now: the launcher's front ends the least recently used ones first. */
  private void touchSocket() {
    try {
      Files.setLastModifiedTime(socket, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // removed meanwhile: this JVM ends at its next check
    }
  }

  /**
   * Removes the socket and its log: no other JVM can have made them, since this one holds the lock.
   * A JVM that is killed leaves both (the log says what it did); the next one replaces the socket.
   */
  private void removeSocket() {
    try {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(sibling(socket, ".log"));
    } catch (IOException e) {
      // ending anyway
    }
  }

  /** The file beside {@code socket} of the same name with {@code suffix} for ".sock". */
  private static Path sibling(Path socket, String suffix) {
    String name = socket.getFileName().toString();
    return socket.resolveSibling(name.substring(0, name.length() - ".sock".length()) + suffix);
  }

  private static void log(String message) {
    LOG.println(
        java.time.Instant.now() + " warm JVM " + ProcessHandle.current().pid() + ": " + message);
  }

  /** The CLI jar's time and size when this JVM started, to notice a rebuild. */
  private record JarStamp(Path jar, long modified, long size) {
    static JarStamp of(Class<?> type) {
      try {
        Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        return new JarStamp(jar, Files.getLastModifiedTime(jar).toMillis(), Files.size(jar));
      } catch (Exception e) {
        return new JarStamp(null, 0, 0);
      }
    }

    boolean changed() {
      if (jar == null) {
        return false;
      }
      try {
        return Files.getLastModifiedTime(jar).toMillis() != modified || Files.size(jar) != size;
      } catch (IOException gone) {
        return true;
      }
    }
  }
}
