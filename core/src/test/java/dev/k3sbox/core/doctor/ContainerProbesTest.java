package dev.k3sbox.core.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.engine.CommandResult;
import dev.k3sbox.core.engine.FakeProbeEngine;
import dev.k3sbox.core.engine.ProbeSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContainerProbesTest {
  private final FakeProbeEngine engine = new FakeProbeEngine();
  private final ProbeResources resources = new ProbeResources(engine);
  private final ContainerProbes probes =
      new ContainerProbes(engine, resources, "k3sbox/busybox:local");

  @AfterEach
  void close() {
    resources.close();
  }

  @Test
  void shouldDropEachCapabilityTheDaemonNamesAsUnknownAndSayWhich() {
    // Given: a daemon older than PERFMON and BPF
    engine.unknownCapabilities = Set.of("PERFMON", "BPF");

    // When
    Check check =
        probes.capabilities(List.of("CHOWN", "PERFMON", "BPF", "SYS_ADMIN"), List.of("cap_41"));

    // Then: asked again without each it named, as `up` asks
    assertThat(check)
        .isEqualTo(
            Check.ok(
                CheckId.CAPABILITIES,
                "2 bounding-set capabilities, seccomp and AppArmor unconfined"
                    + " (the daemon does not know cap_41, perfmon, bpf)"));
    assertThat(engine.asked)
        .extracting(ProbeSpec::capAdd)
        .containsExactly(
            List.of("CHOWN", "PERFMON", "BPF", "SYS_ADMIN"),
            List.of("CHOWN", "BPF", "SYS_ADMIN"),
            List.of("CHOWN", "SYS_ADMIN"));
    assertThat(engine.asked.get(2).securityOpt())
        .containsExactly("seccomp=unconfined", "apparmor=unconfined");
    assertThat(engine.asked.get(2).network()).isEqualTo("none");
    assertThat(engine.leftovers()).isEmpty();
  }

  @Test
  void shouldFailWithTheDaemonsOwnLineWhenItRefusesTheCapabilitiesOtherwise() {
    // Given: gVisor refusing what its bounding set lacks
    engine.refuseStart = spec -> "unable to apply caps: operation not permitted";

    // When
    Check check = probes.capabilities(List.of("CHOWN", "SYS_ADMIN"), List.of());

    // Then: one attempt, its container removed
    assertThat(check)
        .isEqualTo(
            Check.fail(CheckId.CAPABILITIES, "unable to apply caps: operation not permitted"));
    assertThat(engine.asked).hasSize(1);
    assertThat(engine.leftovers()).isEmpty();
  }

  @Test
  void shouldShowTheContainersLastLineWhenAProbeScriptFails() {
    // Given
    engine.runs = spec -> new CommandResult(1, "mounting\nread-only\n");

    // When
    Check check = probes.tmpfs();

    // Then
    assertThat(check).isEqualTo(Check.fail(CheckId.TMPFS, "read-only"));
  }
}
