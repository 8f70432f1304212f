package dev.k3sbox.helm.render;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code k3sbox-helm --serve} for every render of a command: requests are written as they come,
 * from any thread, and each answer goes to its caller by its id as soon as the engine has it. A
 * matrix renders a chart a dozen times; one engine does once what those renders share (the JSON of
 * documents that come out the same, each cluster's capabilities, its own start). A cold JVM ends
 * its engine with its command ({@link #stopAll}); the warm JVM keeps it for its next commands
 * ({@link #nextCommand}): each request names its command, and the engine loads the chart and asks
 * the cluster afresh for each (helm-engine/command.go), while what it knows by content (parsed
 * templates, documents' JSON, the pieces both sides hold) serves every command.
 */
final class EngineServer {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int LOG_KEPT = 64 * 1024;
  private static final Map<Path, EngineServer> RUNNING = new ConcurrentHashMap<>();

  /** The JVM's command the requests are for (see {@link #nextCommand}). */
  private static final AtomicLong COMMAND = new AtomicLong();

  /**
   * Past this many characters of pieces held (both sides keep every distinct document they have
   * exchanged: ~9 M for a render of kube-prometheus-stack, a few more for each edit of it), a warm
   * JVM's engine is ended after its command, and the next starts afresh with nothing held.
   */
  private static final long PIECES_KEPT = 64L << 20;

  private final Path binary;
  private final Process process;
  private final OutputStream requests;
  private final Map<Long, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final StringBuilder log = new StringBuilder();

  /** Each piece of text the engine has sent, by key; read and written by the reader thread only. */
  private final Map<String, ObjectNode> pieces = new HashMap<>();

  /** The characters of text and JSON {@link #pieces} holds. */
  private volatile long piecesHeld;

  /** The engine binary's time when this engine started: a build since then ends it. */
  private final FileTime built;

  private volatile boolean ended;

  /** An answer could not be read (see {@link #retired}). */
  private volatile boolean unreadable;

  /** The command of the last request sent. */
  private volatile long servedCommand = -1;

  private EngineServer(Path binary, Process process, FileTime built) {
    this.binary = binary;
    this.process = process;
    this.built = built;
    this.requests = process.getOutputStream();
    daemon(this::readAnswers, "k3sbox-helm-answers");
    daemon(this::readLog, "k3sbox-helm-log");
  }

  /** The running engine of {@code binary}, started on first use (again if it has ended). */
  static EngineServer of(Path binary) {
    return RUNNING.compute(
        binary,
        (b, running) -> {
          if (running != null && !running.retired()) {
            return running;
          }
          if (running != null) {
            running.stop();
          }
          return start(b);
        });
  }

  /**
   * Not to serve this command: it has ended, an answer of it could not be read (the pieces it
   * carried are lost to this side, and the engine would name them by key alone from then on), or,
   * before its first render of a command, its binary has been built again (a warm JVM keeps its
   * engine; a command's renders all go to one engine).
   */
  private boolean retired() {
    return ended || unreadable || (servedCommand != COMMAND.get() && rebuilt());
  }

  private static EngineServer start(Path binary) {
    try {
      FileTime built = Files.getLastModifiedTime(binary);
      return new EngineServer(
          binary,
          new ProcessBuilder(binary.toString(), "--serve").redirectErrorStream(false).start(),
          built);
    } catch (IOException e) {
      throw new HelmRunnerException(
          Kind.RENDER,
          "cannot start Helm's engine "
              + binary
              + " ("
              + e.getMessage()
              + "); unset "
              + HelmEngine.ENV,
          e);
    }
  }

  /**
   * Ends every engine this JVM started, once its command is done: closing an engine's stdin ends
   * it, and with it the threads reading its output. Left running, those threads sit in a native
   * read when the JVM exits, and HotSpot then waits for them, 10 ms at a time, for 0.3 s on every
   * chart command (VM_Exit::wait_for_threads_in_native_to_block).
   */
  static void stopAll() {
    RUNNING.values().forEach(EngineServer::stop);
    RUNNING.clear();
  }

  /**
   * A warm JVM's command is done, and its engines serve the next: the requests from now on name the
   * next command. An engine that holds more than {@link #PIECES_KEPT}, or is retired, is ended
   * instead (the next command starts another); the others' logs start empty.
   */
  static void nextCommand() {
    COMMAND.incrementAndGet();
    RUNNING
        .values()
        .removeIf(
            server -> {
              boolean end = server.retired() || server.piecesHeld > PIECES_KEPT;
              if (end) {
                server.stop();
              } else {
                synchronized (server.log) {
                  server.log.setLength(0);
                }
              }
              return end;
            });
  }

  private boolean rebuilt() {
    try {
      return !Files.getLastModifiedTime(binary).equals(built);
    } catch (IOException e) {
      return true;
    }
  }

  private void stop() {
    try {
      requests.close();
      if (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Sends one request and waits for its answer. */
  JsonNode call(ObjectNode request) {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    waiting.put(id, answer);
    request.put("id", id);
    servedCommand = COMMAND.get();
    request.put("command", servedCommand);
    try {
      byte[] line = JSON.writeValueAsBytes(request);
      synchronized (requests) {
        requests.write(line);
        requests.write('\n');
        requests.flush();
      }
    } catch (IOException e) {
      // The engine has ended: the reader fails every request still waiting, this one included.
    }
    if (ended) {
      failWaiting(); // it may have ended before this request was registered
    }
    try {
      return answer.get();
    } catch (InterruptedException e) {
      waiting.remove(id);
      Thread.currentThread().interrupt();
      throw new HelmRunnerException(Kind.RENDER, "rendering was interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof HelmRunnerException h
          ? h
          : new HelmRunnerException(Kind.RENDER, e.getCause().getMessage(), e.getCause());
    }
  }

  /** What Helm and client-go logged lately (the last 64 KiB), for --verbose and errors. */
  String log() {
    synchronized (log) {
      return log.toString();
    }
  }

  private void readAnswers() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = lines.readLine()) != null) {
        JsonNode answer;
        try {
          answer = JSON.readTree(line);
        } catch (JacksonException e) {
          unreadable = true;
          failAll(
              new HelmRunnerException(
                  Kind.RENDER,
                  "Helm's engine " + binary + " gave an answer k3sbox cannot read",
                  e));
          continue;
        }
        resolvePieces(answer.path("crds"));
        resolvePieces(answer.path("manifest"));
        CompletableFuture<JsonNode> caller = waiting.remove(answer.path("id").asLong());
        if (caller != null) {
          caller.complete(answer);
        }
      }
    } catch (IOException e) {
      // ended below
    }
    ended = true;
    failWaiting();
  }

  /**
   * Fills in the text and JSON of the pieces the engine sent before: it sends each once per process
   * (helm-engine/main.go, {@code piece}), since a matrix's dozen renders of kube-prometheus-stack
   * repeat its 5 MB of CRDs, and reading them again took the JVM longer than the renders took. The
   * one reader does it, in the order the answers came: the first answer with a piece is the one
   * that carries it. A piece never carried stays without text (see HelmEngine).
   */
  private void resolvePieces(JsonNode list) {
    for (JsonNode node : list) {
      if (node instanceof ObjectNode piece) {
        String key = piece.path("key").asString("");
        if (piece.has("text")) {
          if (pieces.put(key, piece) == null) {
            piecesHeld += piece.path("text").asString("").length();
            piecesHeld += piece.path("json").asString("").length();
          }
        } else if (pieces.containsKey(key)) {
          piece.set("text", pieces.get(key).get("text"));
          piece.set("json", pieces.get(key).get("json"));
        }
      }
    }
  }

  private void failWaiting() {
    if (waiting.isEmpty()) {
      return;
    }
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = -1;
    }
    failAll(
        new HelmRunnerException(
            Kind.RENDER,
            "Helm's engine "
                + binary
                + " ended with exit "
                + code
                + " and no answer ("
                + log().strip().lines().reduce((a, b) -> b).orElse("no log")
                + ")"));
  }

  private void failAll(HelmRunnerException e) {
    waiting
        .keySet()
        .forEach(
            id -> {
              CompletableFuture<JsonNode> caller = waiting.remove(id);
              if (caller != null) {
                caller.completeExceptionally(e);
              }
            });
  }

  private void readLog() {
    byte[] buffer = new byte[8192];
    try (InputStream in = process.getErrorStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        synchronized (log) {
          log.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
          if (log.length() > LOG_KEPT) {
            log.delete(0, log.length() - LOG_KEPT);
          }
        }
      }
    } catch (IOException e) {
      // the engine has ended
    }
  }

  private static void daemon(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }
}
