package dev.k3sbox.helm.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedHelmLibraryTest {
  @TempDir Path cache;

  @AfterEach
  void clearProperty() {
    System.clearProperty(CachedHelmLibrary.CACHE_PROPERTY);
  }

  @Test
  void shouldCopyTheLibraryOnceAndReuseIt() throws Exception {
    // Given
    System.setProperty(CachedHelmLibrary.CACHE_PROPERTY, cache.toString());
    CachedHelmLibrary library = new CachedHelmLibrary();

    // When
    Optional<Path> first = library.cachedCopy();
    FileTime written = Files.getLastModifiedTime(first.orElseThrow());
    Optional<Path> second = library.cachedCopy();

    // Then
    assertThat(first.get().getFileName().toString()).endsWith(library.getBinaryName());
    assertThat(Files.size(first.get())).isGreaterThan(10_000_000L);
    assertThat(second).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(second.get())).isEqualTo(written);
    try (var files = Files.list(cache)) {
      assertThat(files).as("no partial copies left").containsExactly(first.get());
    }
  }

  @Test
  void shouldReplaceATruncatedCopy() throws Exception {
    // Given: a copy cut short, as by a full disk
    System.setProperty(CachedHelmLibrary.CACHE_PROPERTY, cache.toString());
    CachedHelmLibrary library = new CachedHelmLibrary();
    Path good = library.cachedCopy().orElseThrow();
    long size = Files.size(good);
    Files.write(good, new byte[] {1, 2, 3});

    // When
    Optional<Path> again = library.cachedCopy();

    // Then
    assertThat(again).contains(good);
    assertThat(Files.size(good)).isEqualTo(size);
  }

  @Test
  void shouldLeaveTheCacheAloneWithoutTheProperty() {
    assertThat(new CachedHelmLibrary().cachedCopy()).isEmpty();
  }
}
