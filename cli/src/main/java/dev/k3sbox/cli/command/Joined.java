package dev.k3sbox.cli.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The value of work done on another thread, or the failure it ended with, as thrown there. */
final class Joined {
  private Joined() {}

  static <T> T value(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
