package dev.k3sbox.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ServerMemoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldSubtractTheInactivePageCacheAsDockerStatsDoesOnCgroupV2() throws Exception {
    var stats =
        JSON.readTree(
            "{\"memory_stats\":{\"usage\":629145600,\"stats\":{\"inactive_file\":104857600}}}");

    assertThat(ServerMemory.mibOf(stats)).hasValue(500);
  }

  @Test
  void shouldReadCgroupV1sTotalInactiveFile() throws Exception {
    var stats =
        JSON.readTree(
            "{\"memory_stats\":{\"usage\":314572800,\"stats\":{\"total_inactive_file\":52428800}}}");

    assertThat(ServerMemory.mibOf(stats)).hasValue(250);
  }

  @Test
  void shouldHaveNothingToSayForAStoppedContainersEmptyStats() throws Exception {
    assertThat(ServerMemory.mibOf(JSON.readTree("{\"memory_stats\":{}}"))).isEmpty();
  }
}
