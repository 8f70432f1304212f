package dev.k3sbox.helm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarningHeadersTest {

  @Test
  void shouldKeepOnlyTheTextOfAWarningHeader() {
    assertThat(
            WarningHeaders.text(
                "299 - \"policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+\""))
        .isEqualTo("policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+");
  }

  @Test
  void shouldKeepAnUnusualHeaderWhole() {
    assertThat(WarningHeaders.text("199 agent text")).isEqualTo("199 agent text");
  }

  @Test
  void shouldReadEveryHeaderAndNoneWhenAbsent() {
    assertThat(WarningHeaders.texts(java.util.List.of("299 - \"a\"", "299 - \"b\"")))
        .containsExactly("a", "b");
    assertThat(WarningHeaders.texts(null)).isEmpty();
  }
}
