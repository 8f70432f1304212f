package dev.k3sbox.core.kubeconfig;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.K3sboxException;
import org.junit.jupiter.api.Test;

class MergeVerificationTest {
  private static final Kubeconfig OURS = KubeconfigTextMergeTest.OURS;
  private static final String MERGED = OURS.toYaml("k3sbox-dev");

  @Test
  void shouldPassAResultThatSaysWhatTheEditMeant() {
    assertThatCode(() -> MergeVerification.upserted(MERGED, "k3sbox-dev"))
        .doesNotThrowAnyException();
    assertThatCode(() -> MergeVerification.removed(MERGED, "k3sbox-other"))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRefuseAnUpsertThatLostAnEntry() {
    String noUser = MERGED.replace("- name: k3sbox-dev\n  user:", "- name: someone-else\n  user:");

    assertThatThrownBy(() -> MergeVerification.upserted(noUser, "k3sbox-dev"))
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("could not edit the users of this kubeconfig safely");
  }

  @Test
  void shouldRefuseAnUpsertThatDidNotSetCurrentContext() {
    String otherCurrent = MERGED.replace("current-context: k3sbox-dev", "current-context: prod");

    assertThatThrownBy(() -> MergeVerification.upserted(otherCurrent, "k3sbox-dev"))
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("could not set current-context");
  }

  @Test
  void shouldRefuseARemoveThatLeftAnEntry() {
    assertThatThrownBy(() -> MergeVerification.removed(MERGED, "k3sbox-dev"))
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("could not edit the clusters of this kubeconfig safely");
  }

  @Test
  void shouldRefuseAResultThatDoesNotParse() {
    assertThatThrownBy(() -> MergeVerification.removed("clusters: [\n", "k3sbox-dev"))
        .isInstanceOf(K3sboxException.class)
        .hasMessageContaining("could not edit this kubeconfig safely");
  }
}
