package dev.k3sbox.core.doctor;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.Capabilities;
import dev.k3sbox.core.docker.DaemonError;
import dev.k3sbox.core.state.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs the container probes a few at a time, under one deadline: a probe stuck in a daemon call
 * becomes a failed row instead of a hung doctor. The rows come in the report's order whatever order
 * the probes finish in.
 */
final class ProbeRunner {
  private static final int THREADS = 4;
  private static final Duration PROBES_TIMEOUT = Duration.ofMinutes(4);

  private final Progress progress;

  ProbeRunner(Progress progress) {
    this.progress = progress;
  }

  /** One row a probe; the capabilities are probed only where the bounding set is known. */
  List<Check> run(ContainerProbes probes, Optional<Capabilities> bounding) {
    Path context = tempDir();
    Path readOnly = tempDir();
    Path readWrite = tempDir();
    Map<CheckId, Callable<Check>> tasks = new LinkedHashMap<>();
    // Slowest first, so the pool stays busy: a build commits a layer, vfs copies it.
    tasks.put(CheckId.IMAGE_BUILD, () -> probes.imageBuild(context));
    tasks.put(CheckId.PRIVILEGED, probes::privileged);
    tasks.put(
        CheckId.CAPABILITIES,
        () ->
            bounding
                .map(b -> probes.capabilities(b.askable(), b.unknownToDockerJava()))
                .orElse(Check.warn(CheckId.CAPABILITIES, "bounding set unknown; not probed")));
    tasks.put(CheckId.NETWORK_HOST, () -> probes.network(CheckId.NETWORK_HOST, "host"));
    tasks.put(CheckId.NETWORK_NONE, () -> probes.network(CheckId.NETWORK_NONE, "none"));
    tasks.put(CheckId.NETWORK_BRIDGE, () -> probes.network(CheckId.NETWORK_BRIDGE, "bridge"));
    tasks.put(CheckId.NETWORK_USER_DEFINED, probes::userDefinedNetwork);
    tasks.put(CheckId.PUBLISHED_PORT, probes::publishedPort);
    tasks.put(CheckId.BIND_MOUNT_RO, () -> probes.bindMountReadOnly(readOnly));
    tasks.put(CheckId.BIND_MOUNT_RW, () -> probes.bindMountReadWrite(readWrite));
    tasks.put(CheckId.NAMED_VOLUME, probes::namedVolume);
    tasks.put(CheckId.TMPFS, probes::tmpfs);
    tasks.put(CheckId.EXEC, probes::backgroundExec);
    progress.step("probing Docker: " + tasks.size() + " probes, " + THREADS + " at a time");

    ExecutorService pool =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "k3sbox-doctor-probe");
              // A probe stuck in a daemon call must not keep the JVM alive after Ctrl-C.
              t.setDaemon(true);
              return t;
            });
    List<Check> results = new ArrayList<>();
    try {
      Map<CheckId, Future<Check>> futures = new LinkedHashMap<>();
      tasks.forEach((id, task) -> futures.put(id, pool.submit(task)));
      long deadline = System.nanoTime() + PROBES_TIMEOUT.toNanos();
      for (Map.Entry<CheckId, Future<Check>> f : futures.entrySet()) {
        results.add(await(f.getKey(), f.getValue(), deadline));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new K3sboxException(
          Failure.INTERRUPTED, "doctor was interrupted; its probe containers were removed", e);
    } finally {
      pool.shutdownNow();
      Stream.of(context, readOnly, readWrite).forEach(FileTrees::deleteQuietly);
    }
    return results;
  }

  private static Check await(CheckId id, Future<Check> future, long deadline)
      throws InterruptedException {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | CancellationException e) {
      // Probes turn their own failures into checks; this is a bug in one, reported as its row.
      return Check.fail(id, "probe crashed: " + DaemonError.lineOf(e));
    } catch (TimeoutException e) {
      future.cancel(true);
      return Check.fail(
          id, "no answer within " + PROBES_TIMEOUT.toMinutes() + " minutes of probing");
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("k3sbox-doctor-");
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.INTERNAL,
          "cannot create a temporary folder (" + e.getMessage() + "); check TMPDIR",
          e);
    }
  }
}
