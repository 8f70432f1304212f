package dev.k3sbox.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.engine.FakeImages;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceDigestTest {
  private final FakeImages images = new FakeImages();

  @Test
  void shouldCallAnImageOfTheSameSourcesUpToDate() {
    // Given
    String digest = SourceDigest.of(Map.of("main.go", bytes("package main")));
    images.add("k3sbox/controlplane-standin:v1.35.4", Map.of(Labels.IMAGE_DIGEST, digest));

    // Then
    assertThat(SourceDigest.upToDate(images, "k3sbox/controlplane-standin:v1.35.4", digest))
        .isTrue();
  }

  @Test
  void shouldRebuildAnImageOfOtherSourcesOrNone() {
    // Given
    String digest = SourceDigest.of(Map.of("main.go", bytes("package main // changed")));
    images.add("k3sbox/controlplane-standin:v1.35.4", Map.of(Labels.IMAGE_DIGEST, "0ld"));
    images.add("k3sbox/k3s:v1.33.5-k3s1", Map.of());

    // Then
    assertThat(SourceDigest.upToDate(images, "k3sbox/controlplane-standin:v1.35.4", digest))
        .isFalse();
    assertThat(SourceDigest.upToDate(images, "k3sbox/k3s:v1.33.5-k3s1", digest)).isFalse();
    assertThat(SourceDigest.upToDate(images, "k3sbox/controlplane-standin:v1.37.2", digest))
        .isFalse();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
