package dev.k3sbox.core.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.core.engine.ContainerSpec;
import dev.k3sbox.core.engine.ContainerState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldReadWhatK3sboxNeedsOfAnInspection() throws Exception {
    // Given: the parts of Docker 20.10's answer that k3sbox reads, with some it does not
    String inspection =
        """
        {"Id": "0123abcd", "Name": "/k3sbox-dev", "RestartCount": 2,
         "State": {"Status": "running", "Running": true, "Restarting": false, "ExitCode": 0,
                   "StartedAt": "2026-11-28T18:05:07.123456789Z"},
         "Config": {"Image": "k3sbox/controlplane-standin:v1.35.4",
                    "Labels": {"dev.k3sbox.managed": "true"}},
         "HostConfig": {"NetworkMode": "host"}}
        """;

    // When
    ContainerState c = ContainerJson.stateOf(JSON.readTree(inspection));

    // Then
    assertThat(c)
        .isEqualTo(
            new ContainerState(
                "0123abcd",
                "k3sbox/controlplane-standin:v1.35.4",
                Map.of("dev.k3sbox.managed", "true"),
                true,
                false,
                2,
                "2026-11-28T18:05:07.123456789Z",
                0));
  }

  @Test
  void shouldReadAnExitedContainerWithoutLabels() throws Exception {
    ContainerState c =
        ContainerJson.stateOf(
            JSON.readTree(
                "{\"Id\":\"x\",\"State\":{\"Running\":false,\"ExitCode\":137},"
                    + "\"Config\":{\"Labels\":null}}"));

    assertThat(c.running()).isFalse();
    assertThat(c.exitCode()).isEqualTo(137);
    assertThat(c.labels()).isEmpty();
    assertThat(c.restartCount()).isZero();
  }

  @Test
  void shouldSubtractTheInactivePageCacheAsDockerStatsDoesOnCgroupV2() throws Exception {
    var stats =
        JSON.readTree(
            "{\"memory_stats\":{\"usage\":629145600,\"stats\":{\"inactive_file\":104857600}}}");

    assertThat(ContainerJson.memoryMibOf(stats)).hasValue(500);
  }

  @Test
  void shouldReadCgroupV1sTotalInactiveFile() throws Exception {
    var stats =
        JSON.readTree(
            "{\"memory_stats\":{\"usage\":314572800,\"stats\":{\"total_inactive_file\":52428800}}}");

    assertThat(ContainerJson.memoryMibOf(stats)).hasValue(250);
  }

  @Test
  void shouldHaveNothingToSayForAStoppedContainersEmptyStats() throws Exception {
    assertThat(ContainerJson.memoryMibOf(JSON.readTree("{\"memory_stats\":{}}"))).isEmpty();
  }

  @Test
  void shouldAskForTheServerContainerAsTheSeedExperimentRanIt() throws Exception {
    // Given: a server on a bridge network with added capabilities
    var spec =
        new ContainerSpec(
            "k3sbox-dev",
            "k3sbox/controlplane-standin:v1.35.4",
            List.of("server", "--disable-agent"),
            List.of("GOMEMLIMIT=450MiB"),
            Map.of("dev.k3sbox.managed", "true"),
            Map.of("/run", "rw"),
            List.of("k3sbox-dev-data:/var/lib/rancher/k3s:rw"),
            false,
            List.of("SYS_ADMIN"),
            List.of("seccomp=unconfined"),
            false,
            new ContainerSpec.PublishedPort("127.0.0.1", 6443, 6443));

    // When
    var body = ContainerJson.createBody(JSON.createObjectNode(), spec);

    // Then
    assertThat(body.toString())
        .contains("\"Cmd\":[\"server\",\"--disable-agent\"]")
        .contains("\"Env\":[\"GOMEMLIMIT=450MiB\"]")
        .contains("\"CapAdd\":[\"SYS_ADMIN\"]")
        .contains("\"SecurityOpt\":[\"seccomp=unconfined\"]")
        .contains("\"NetworkMode\":\"bridge\"")
        .contains(
            "\"PortBindings\":{\"6443/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"6443\"}]}")
        .contains("\"RestartPolicy\":{\"Name\":\"unless-stopped\"")
        .doesNotContain("Privileged");
  }
}
