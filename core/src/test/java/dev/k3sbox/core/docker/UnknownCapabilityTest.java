package dev.k3sbox.core.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import org.junit.jupiter.api.Test;

class UnknownCapabilityTest {

  @Test
  void shouldReadTheCapabilityAnOlderDaemonRefuses() {
    // Given Docker 20.10's answer to --cap-add PERFMON
    String error = "invalid CapAdd: unknown capability: \"CAP_PERFMON\"";

    assertThat(Capabilities.unknownToDaemon(error)).contains(Capability.PERFMON);
  }

  @Test
  void shouldIgnoreOtherErrors() {
    assertThat(Capabilities.unknownToDaemon("unable to apply caps: operation not permitted"))
        .isEmpty();
  }
}
