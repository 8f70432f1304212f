package dev.k3sbox.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.it.support.K3sboxProcess;
import dev.k3sbox.it.support.SharedK3s;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in's memory limit is a floor, not a ceiling: a fixed soft limit under what the API
 * server keeps live made Go's collector run without pause (an idle server at 140-185% CPU, after
 * the corpus charts' CRDs were kept). Here the floor is set far under the API server's live heap
 * from its boot on, and the server's own metrics must show its limit raised above that heap.
 */
class ServerMemoryIT {
  private static final long FLOOR = 64L << 20;
  private static final String NAME = "memory-floor";

  @TempDir Path dir;

  @BeforeAll
  static void requireImage() {
    SharedK3s.requireImage(SharedK3s.image());
    Assumptions.assumeTrue(
        SharedK3s.image().startsWith("k3sbox/controlplane-standin:"),
        "the memory limit is the stand-in's (k3s is one process holding everything)");
  }

  @Test
  void shouldRaiseTheApiServersMemoryLimitAboveItsLiveHeap() throws Exception {
    // Given: a floor of 64 MiB, under the ~150 MiB a booted API server keeps live
    K3sboxProcess k3sbox =
        new K3sboxProcess(dir).withEnv(Map.of("K3SBOX_SERVER_GOMEMLIMIT", "64MiB"));
    try {
      k3sbox.freshCluster(NAME, 17611);

      // Then: the API server's limit has room for its live heap to grow by half
      try (var client = k3sbox.client(NAME)) {
        Awaitility.await("the API server's memory limit above its live heap")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  String metrics = client.raw(client.getMasterUrl() + "metrics");
                  double limit = metric(metrics, "go_gc_gomemlimit_bytes");
                  double live = metric(metrics, "go_gc_heap_live_bytes");
                  assertThat(live).isGreaterThan(FLOOR);
                  assertThat(limit).isGreaterThanOrEqualTo(live * 1.5);
                });
      }
    } finally {
      k3sbox.run("down", "--name", NAME);
    }
  }

  private static double metric(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
    assertThat(m.find()).as("%s in the API server's /metrics", name).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
