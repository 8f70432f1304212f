package dev.k3sbox.core.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Folders k3sbox made and removes whole: a cluster's state folder, scratch and probe folders. */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code dir} and everything in it, deepest first; links are deleted, never followed.
   * Nothing happens when it does not exist.
   *
   * @throws IOException the first entry that could not be deleted (the rest are still tried)
   */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> deepestFirst;
    try (Stream<Path> walk = Files.walk(dir)) {
      deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
    }
    IOException first = null;
    for (Path p : deepestFirst) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** {@link #delete}, for a folder whose leftovers harm nothing (a temporary one). */
  public static void deleteQuietly(Path dir) {
    try {
      delete(dir);
    } catch (IOException e) {
      // left for the system's temporary-folder clean-up
    }
  }
}
