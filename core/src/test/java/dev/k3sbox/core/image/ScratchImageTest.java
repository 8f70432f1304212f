package dev.k3sbox.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.Labels;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScratchImageTest {
  @Test
  void shouldLabelTheImageInItsDockerfileQuotedAsDockerReadsIt() {
    assertThat(ScratchImage.dockerfile(Map.of(Labels.IMAGE_SOURCE, "a \"b\" \\c")))
        .startsWith("FROM scratch\nADD rootfs.tar /\n")
        .contains("LABEL " + Labels.IMAGE_SOURCE + "=\"a \\\"b\\\" \\\\c\"\n")
        .endsWith("ENTRYPOINT [\"/bin/k3s\"]\nCMD [\"server\"]\n");
  }
}
