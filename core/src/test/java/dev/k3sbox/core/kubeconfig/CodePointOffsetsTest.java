package dev.k3sbox.core.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CodePointOffsetsTest {

  @Test
  void shouldMapCodePointsOneToOneInBmpOnlyText() {
    CodePointOffsets offsets = CodePointOffsets.of("clusters: é\n");

    assertThat(offsets.offset(0)).isZero();
    assertThat(offsets.offset(11)).isEqualTo(11);
    assertThat(offsets.offset(12)).isEqualTo(12);
    assertThat(offsets.offset(99)).isEqualTo(12);
  }

  @Test
  void shouldCountTwoCharsForACodePointOutsideTheBmp() {
    // Given: a, rocket (two UTF-16 units), b
    CodePointOffsets offsets = CodePointOffsets.of("a\uD83D\uDE80b");

    // Then
    assertThat(offsets.offset(0)).isZero();
    assertThat(offsets.offset(1)).isEqualTo(1);
    assertThat(offsets.offset(2)).isEqualTo(3);
    assertThat(offsets.offset(3)).isEqualTo(4);
    assertThat(offsets.offset(99)).isEqualTo(4);
  }

  @Test
  void shouldTakeAMissingMarkAsTheStart() {
    assertThat(CodePointOffsets.of("\uD83D\uDE80 x").offset(Optional.empty())).isZero();
  }
}
