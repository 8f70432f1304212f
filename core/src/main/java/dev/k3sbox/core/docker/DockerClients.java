package dev.k3sbox.core.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import java.io.IOException;
import java.time.Duration;

/** Builds docker-java clients for one daemon address. */
public final class DockerClients {
  /** Where a Docker daemon listens when {@code DOCKER_HOST} says nothing. */
  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  private DockerClients() {}

  /** {@code DOCKER_HOST} if set, else the default socket. */
  public static String hostFromEnvironment() {
    String host = System.getenv("DOCKER_HOST");
    return host == null || host.isBlank() ? DEFAULT_HOST : host;
  }

  /**
   * A client whose requests fail after {@code responseTimeout}; a short one suits probes, a long
   * one (or none) suits image builds and log streams.
   */
  public static DockerClient connect(String host, Duration responseTimeout) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(sslConfig(config))
            .maxConnections(32)
            .connectionTimeout(Duration.ofSeconds(3))
            .responseTimeout(responseTimeout)
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** Closes {@code client}; its connection pool dies with it, so a failure to close is nothing. */
  public static void closeQuietly(DockerClient client) {
    try {
      client.close();
    } catch (IOException e) {
      // nothing to release that matters
    }
  }

  /**
   * The TLS set-up for the daemon: the configured one (tcp:// with DOCKER_TLS_VERIFY), {@link
   * NoTls} where the address rules TLS out, else none (docker-java then speaks plain HTTP to
   * tcp://).
   */
  static SSLConfig sslConfig(DefaultDockerClientConfig config) {
    if (config.getSSLConfig() != null) {
      return config.getSSLConfig();
    }
    String scheme = config.getDockerHost().getScheme();
    return "unix".equals(scheme) || "npipe".equals(scheme) ? NoTls::context : null;
  }
}
