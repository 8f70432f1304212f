package dev.k3sbox.helm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.helm.HelmRunnerException;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KubeconfigProxyTest {
  private static final String TWO_CLUSTERS =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: behind-proxy
        cluster: {server: "https://10.0.0.1:6443", proxy-url: "http://proxy.example:3128"}
      - name: direct
        cluster: {server: "https://10.0.0.2:6443"}
      contexts:
      - name: far
        context: {cluster: behind-proxy, user: u}
      - name: near
        context: {cluster: direct, user: u}
      current-context: near
      users:
      - name: u
        user: {token: t}
      """;

  @Test
  void shouldSendAnHttpsServersRequestsThroughItsHttpProxyUrl() {
    // Given
    Config config = Config.fromKubeconfig("far", TWO_CLUSTERS, null);

    // When
    KubeconfigProxy.apply(config, TWO_CLUSTERS, Path.of("kubeconfig"));

    // Then
    assertThat(config.getHttpsProxy()).isEqualTo("http://proxy.example:3128");
  }

  @Test
  void shouldUseTheProxyUrlWhateverNoProxySaysAsKubectlDoes() {
    // Given
    Config config = Config.fromKubeconfig("far", TWO_CLUSTERS, null);
    config.setNoProxy(new String[] {"10.0.0.0/8"});

    // When
    KubeconfigProxy.apply(config, TWO_CLUSTERS, Path.of("kubeconfig"));

    // Then
    assertThat(config.getNoProxy()).isEmpty();
  }

  @Test
  void shouldTellHttpsInAnyCase() {
    assertThat(KubeconfigProxy.isHttps("HTTPS://10.0.0.1:6443")).isTrue();
    assertThat(KubeconfigProxy.isHttps("https://10.0.0.1:6443")).isTrue();
    assertThat(KubeconfigProxy.isHttps("http://10.0.0.1:6443")).isFalse();
    assertThat(KubeconfigProxy.isHttps("socks5://h:1080")).isFalse();
  }

  @Test
  void shouldTakeTheProxyOfTheChosenContextOnly() {
    assertThat(KubeconfigProxy.proxyUrl(TWO_CLUSTERS, null)).isEmpty();
    assertThat(KubeconfigProxy.proxyUrl(TWO_CLUSTERS, "near")).isEmpty();
    assertThat(KubeconfigProxy.proxyUrl(TWO_CLUSTERS, "far")).contains("http://proxy.example:3128");
  }

  @Test
  void shouldRefuseAProxyReachedOverTlsRatherThanSpeakPlainHttpToIt() {
    // Given
    String yaml = TWO_CLUSTERS.replace("http://proxy.example", "HTTPS://me:secret@proxy.example");
    Config config = Config.fromKubeconfig("far", yaml, null);

    // When / Then
    assertThatThrownBy(() -> KubeconfigProxy.apply(config, yaml, Path.of("kc.yaml")))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessageContaining("kubeconfig kc.yaml names proxy-url HTTPS://proxy.example:3128")
        .hasMessageNotContaining("secret")
        .hasMessageContaining("use an http:// or socks5:// proxy-url");
  }
}
