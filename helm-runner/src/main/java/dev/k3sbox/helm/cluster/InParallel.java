package dev.k3sbox.helm.cluster;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Requests to the API server sent several at a time, as Helm's kube client sends a batch: the
 * answers in the order of the objects, the first failure thrown as it was.
 */
public final class InParallel {
  private InParallel() {}

  /**
   * {@code work} of each item, at most {@code inFlight} at once.
   *
   * @param during what is under way, for the message of an interruption ("installing")
   */
  public static <T, R> List<R> map(
      List<T> items, int inFlight, Function<T, R> work, String during) {
    if (items.size() <= 1) {
      return items.stream().map(work).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(inFlight, items.size()));
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HelmRunnerException(Kind.CLUSTER, "interrupted while " + during, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new HelmRunnerException(
          Kind.CLUSTER,
          "the cluster failed while " + during + " (" + e.getCause() + "); run again",
          e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
