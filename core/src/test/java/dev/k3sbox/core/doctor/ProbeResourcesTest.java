package dev.k3sbox.core.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.engine.FakeProbeEngine;
import dev.k3sbox.core.engine.ProbeEngine.Kind;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class ProbeResourcesTest {
  private final FakeProbeEngine engine = new FakeProbeEngine();

  @Test
  void shouldSweepWhatKilledRunsLeftAndNothingElse() {
    // Given: this host's name, as a run labels what it makes
    String thisHost;
    try (ProbeResources earlier = new ProbeResources(new FakeProbeEngine())) {
      thisHost = earlier.labels().get(ProbeResources.HOST);
    }
    long now = Instant.now().getEpochSecond();
    engine.add(Kind.CONTAINER, "killed", probe(thisHost, "999999999999", now));
    engine.add(Kind.VOLUME, "running", probe(thisHost, pid(), now));
    engine.add(Kind.NETWORK, "foreign-old", probe("ci-7", "1", now - 7200));
    engine.add(Kind.IMAGE, "foreign-new", probe("ci-7", "1", now));

    // When
    try (ProbeResources resources = new ProbeResources(engine)) {
      // Then: a dead process's, and another host's an hour old, are gone
      assertThat(engine.leftovers()).containsExactly("IMAGE foreign-new", "VOLUME running");
    }
  }

  @Test
  void shouldRemoveOnCloseWhatCarriesItsLabelAndRefuseToMakeMore() {
    // Given: something made with the run's labels that the run did not track
    ProbeResources resources = new ProbeResources(engine);
    engine.add(Kind.NETWORK, "untracked", resources.labels());
    resources.createVolume("k3sbox-doctor-1");

    // When
    resources.close();

    // Then: a probe still running when the run is torn down (Ctrl-C) is stopped, nothing kept
    assertThat(engine.leftovers()).isEmpty();
    assertThatThrownBy(() -> resources.createVolume("k3sbox-doctor-2"))
        .isInstanceOf(CancellationException.class);
    assertThat(engine.leftovers()).isEmpty();
  }

  private static Map<String, String> probe(String host, String pid, long started) {
    Map<String, String> labels = new HashMap<>();
    labels.put(Labels.ROLE, ProbeResources.ROLE);
    labels.put(ProbeResources.HOST, host);
    labels.put(ProbeResources.PID, pid);
    labels.put(ProbeResources.STARTED, Long.toString(started));
    return labels;
  }

  private static String pid() {
    return Long.toString(ProcessHandle.current().pid());
  }
}
