package dev.k3sbox.core.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapabilitiesTest {

  @Test
  void shouldNameSysResourceAsMissingFromTheGvisorBoundingSet() {
    // Given the CapBnd of a gVisor sandbox, where --privileged fails with "unable to apply caps"
    Capabilities caps = Capabilities.fromHex("000001fffeffffff", 40);

    // Then
    assertThat(caps.missing()).containsExactly("sys_resource");
    assertThat(caps.present()).hasSize(40).contains("sys_admin", "net_admin", "checkpoint_restore");
    assertThat(caps.isFull()).isFalse();
  }

  @Test
  void shouldBeFullWhenEveryKnownCapabilityIsSet() {
    Capabilities caps = Capabilities.fromHex("000001ffffffffff", 40);

    assertThat(caps.isFull()).isTrue();
    assertThat(caps.present()).first().isEqualTo("chown");
  }

  @Test
  void shouldTrustTheMaskOverALowCapLastCap() {
    Capabilities caps = Capabilities.fromHex("000001ffffffffff", 4);

    assertThat(caps.lastCap()).isEqualTo(40);
  }

  @Test
  void shouldNameBitsBeyondTheKnownTableByNumber() {
    Capabilities caps = Capabilities.fromHex("0000020000000000", 41);

    assertThat(caps.present()).containsExactly("cap_41");
  }

  @Test
  void shouldSplitPresentCapabilitiesByWhetherDockerJavaKnowsThem() {
    // Given: chown (bit 0) and a bit beyond the known table (41)
    Capabilities caps = Capabilities.fromHex("0000020000000001", 41);

    // When / Then: what the doctor probe and `up` ask for, and what the probe says it skipped
    assertThat(caps.asDockerCapabilities()).containsExactly(Capability.CHOWN);
    assertThat(caps.unknownToDockerJava()).containsExactly("cap_41");
  }

  @Test
  void shouldReadCapBndAndCapLastCapFromProcFiles(@TempDir Path dir) throws Exception {
    // Given
    Path status = dir.resolve("status");
    Files.writeString(
        status, "Name:\tjava\nCapEff:\t000001fffeffffff\nCapBnd:\t000001fffeffffff\n");
    Path last = dir.resolve("cap_last_cap");
    Files.writeString(last, "40\n");

    // When
    Capabilities caps = Capabilities.read(status, last).orElseThrow();

    // Then
    assertThat(caps.lastCap()).isEqualTo(40);
    assertThat(caps.missing()).containsExactly("sys_resource");
  }

  @Test
  void shouldBeEmptyWithoutCapBnd(@TempDir Path dir) throws Exception {
    Path status = dir.resolve("status");
    Files.writeString(status, "Name:\tjava\n");

    assertThat(Capabilities.read(status, dir.resolve("absent"))).isEmpty();
  }
}
