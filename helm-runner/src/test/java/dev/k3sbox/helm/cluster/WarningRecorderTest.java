package dev.k3sbox.helm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarningRecorderTest {

  @Test
  void shouldKeepOnlyTheTextOfAWarningHeader() {
    assertThat(
            WarningRecorder.text(
                "299 - \"policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+\""))
        .isEqualTo("policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+");
  }

  @Test
  void shouldKeepAnUnusualHeaderWhole() {
    assertThat(WarningRecorder.text("199 agent text")).isEqualTo("199 agent text");
  }
}
