package dev.k3sbox.core.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import org.junit.jupiter.api.Test;

class ContainerProbesTest {

  @Test
  void shouldReadTheCapabilityAnOlderDaemonRefuses() {
    // Given Docker 20.10's answer to --cap-add PERFMON
    String error = "invalid CapAdd: unknown capability: \"CAP_PERFMON\"";

    assertThat(ContainerProbes.unknownCapability(error)).contains(Capability.PERFMON);
  }

  @Test
  void shouldIgnoreOtherErrors() {
    assertThat(ContainerProbes.unknownCapability("unable to apply caps: operation not permitted"))
        .isEmpty();
  }
}
