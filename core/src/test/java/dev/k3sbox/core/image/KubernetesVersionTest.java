package dev.k3sbox.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubernetesVersionTest {
  @Test
  void shouldTakeTheNewestServedPatchOfAMinor() {
    assertThat(KubernetesVersion.parse("1.37")).hasToString("v1.37.2");
    assertThat(KubernetesVersion.parse("v1.34")).hasToString("v1.34.4");
    assertThat(KubernetesVersion.parse("v1.36.1")).hasToString("v1.36.1");
    assertThat(KubernetesVersion.parse(" 1.35.4 ")).isEqualTo(KubernetesVersion.DEFAULT);
  }

  @Test
  void shouldNameTheServedVersionsWhenRefusingOne() {
    assertThatThrownBy(() -> KubernetesVersion.parse("1.20"))
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("1.20")
        .hasMessageContaining("[1.34, 1.35, 1.36, 1.37]")
        .satisfies(e -> assertThat(((K3sboxException) e).failure()).isEqualTo(Failure.USAGE));
    assertThatThrownBy(() -> KubernetesVersion.parse("latest"))
        .hasMessageContaining("write it as 1.37 or v1.36.1");
  }

  @Test
  void shouldSortAndDeduplicateAList() {
    assertThat(KubernetesVersion.parseAll(List.of("1.37,1.34", "v1.37.2", "1.35")))
        .extracting(KubernetesVersion::toString)
        .containsExactly("v1.34.4", "v1.35.4", "v1.37.2");
  }

  @Test
  void shouldReadAServersVersion() {
    assertThat(KubernetesVersion.ofServer("v1.37.2+k3sbox"))
        .contains(KubernetesVersion.parse("1.37"));
    assertThat(KubernetesVersion.ofServer("v1.33.5+k3s1").orElseThrow().minorName())
        .isEqualTo("1.33");
    assertThat(KubernetesVersion.ofServer("unknown")).isEmpty();
  }

  @Test
  void shouldAgreeWithTheCatalogsDefault() {
    assertThat(ImageCatalog.STANDIN_KUBERNETES_VERSION)
        .isEqualTo(KubernetesVersion.DEFAULT.toString());
    assertThat(ImageCatalog.standinImage(KubernetesVersion.DEFAULT))
        .isEqualTo(ImageCatalog.STANDIN_IMAGE);
  }
}
