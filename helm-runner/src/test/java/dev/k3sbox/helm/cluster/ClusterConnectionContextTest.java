package dev.k3sbox.helm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.helm.HelmRunnerException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The kubeconfig checks made before any client exists: kubectl's behaviour, not fabric8's. */
class ClusterConnectionContextTest {
  private static final Path FILE = Path.of("/tmp/kc.yaml");
  private static final String TWO_CONTEXTS =
      """
      apiVersion: v1
      kind: Config
      current-context: c1
      clusters:
      - name: c1
        cluster: {server: "https://127.0.0.1:1"}
      - name: c2
        cluster: {server: "https://127.0.0.1:2"}
      users:
      - name: u
        user: {token: t}
      contexts:
      - name: c1
        context: {cluster: c1, user: u}
      - name: c2
        context: {cluster: c2, user: u}
      """;

  @Test
  void shouldRefuseAContextTheFileDoesNotHaveInsteadOfFallingBackToTheCurrentOne() {
    assertThatThrownBy(
            () -> ClusterConnection.requireContext(new KubeTarget(FILE, "c2-typo"), TWO_CONTEXTS))
        .isInstanceOf(HelmRunnerException.class)
        .satisfies(
            e ->
                assertThat(((HelmRunnerException) e).kind())
                    .isEqualTo(HelmRunnerException.Kind.USAGE))
        .hasMessage(
            "context c2-typo is not in kubeconfig /tmp/kc.yaml (it has c1, c2);"
                + " pass one of its contexts to --context");
  }

  @Test
  void shouldAcceptAContextTheFileHasAndNoContextAtAll() {
    assertThatCode(() -> ClusterConnection.requireContext(new KubeTarget(FILE, "c2"), TWO_CONTEXTS))
        .doesNotThrowAnyException();
    assertThatCode(() -> ClusterConnection.requireContext(new KubeTarget(FILE, null), TWO_CONTEXTS))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldNeverQuoteAFileThatIsNotAKubeconfig() {
    String key =
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";
    assertThatThrownBy(() -> ClusterConnection.requireContext(new KubeTarget(FILE, null), key))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessageContaining("is not a kubeconfig")
        .hasMessageNotContaining("b3BlbnNzaC1rZXkt")
        .hasMessageNotContaining("PRIVATE KEY");
  }
}
