package dev.k3sbox.core.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerClientsTest {

  private static DefaultDockerClientConfig.Builder config(String host) {
    return DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host)
        .withDockerTlsVerify(false);
  }

  @Test
  void shouldGiveASocketDaemonATlsContextThatRefusesUse() throws Exception {
    var ssl = DockerClients.sslConfig(config("unix:///var/run/docker.sock").build());

    assertThat(ssl).isNotNull();
    assertThat(ssl.getSSLContext()).isInstanceOf(NoTls.class);
    assertThatThrownBy(() -> ssl.getSSLContext().createSSLEngine())
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("unix socket");
  }

  @Test
  void shouldLeavePlainTcpWithoutTls() {
    // docker-java speaks https to tcp:// as soon as it is given any TLS set-up
    assertThat(DockerClients.sslConfig(config("tcp://127.0.0.1:2375").build())).isNull();
  }

  @Test
  void shouldKeepTheConfiguredTlsOfATcpDaemon(@TempDir Path certs) {
    var config =
        config("tcp://127.0.0.1:2376")
            .withDockerTlsVerify(true)
            .withDockerCertPath(certs.toString())
            .build();

    assertThat(DockerClients.sslConfig(config)).isSameAs(config.getSSLConfig()).isNotNull();
  }
}
