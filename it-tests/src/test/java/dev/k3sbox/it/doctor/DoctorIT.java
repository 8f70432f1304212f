package dev.k3sbox.it.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.docker.Capabilities;
import dev.k3sbox.core.docker.DockerClients;
import dev.k3sbox.it.support.Cli;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code k3sbox doctor} on the real daemon of this machine. */
class DoctorIT {
  private static final String ROLE = Labels.ROLE + "=doctor-probe";

  private static DockerClient docker;
  private static Cli doctor;
  private static JsonNode report;

  @BeforeAll
  static void runDoctor() throws Exception {
    docker = DockerClients.connect(DockerClients.hostFromEnvironment(), Duration.ofSeconds(30));
    doctor = Cli.run("doctor", "--json");
    report = new ObjectMapper().readTree(doctor.out());
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
  }

  @Test
  void shouldReportPrivilegedFailedWithTheDaemonsReasonWhereTheBoundingSetIsShort() {
    // Given a sandbox whose bounding set lacks a capability (gVisor lacks sys_resource)
    assumeFalse(
        Capabilities.ofThisProcess().map(Capabilities::isFull).orElse(true),
        "this machine has every capability: --privileged may work here");

    // Then
    JsonNode privileged = check("--privileged");
    assertThat(privileged.get("status").asText()).isEqualTo("fail");
    assertThat(privileged.get("detail").asText()).contains("unable to apply caps");
    assertThat(report.get("recommendation").get("privilegeProfile").asText())
        .isIn("capabilities", "none");
  }

  @Test
  void shouldFindTheDaemonAndRecommendANetworkMode() {
    assertThat(check("docker daemon").get("status").asText()).isEqualTo("ok");
    assertThat(report.get("recommendation").get("networkMode").asText()).isIn("host", "bridge");
    assertThat(doctor.exitCode()).as(doctor.err()).isIn(0, 3);
    assertThat(report.get("canRunUp").asBoolean()).isEqualTo(doctor.exitCode() == 0);
  }

  @Test
  void shouldProbeEveryFeatureOfTheSeedsMatrix() {
    List<String> names =
        StreamSupport.stream(report.get("checks").spliterator(), false)
            .map(c -> c.get("name").asText())
            .toList();

    assertThat(names)
        .contains(
            "storage driver",
            "docker root filesystem",
            "cgroup version",
            "capability bounding set",
            "explicit capabilities",
            "network host",
            "network none",
            "network bridge",
            "user-defined network",
            "published port",
            "bind mount ro",
            "bind mount rw",
            "named volume",
            "tmpfs",
            "background container + exec",
            "image build",
            "free disk",
            "port 6443");
  }

  @Test
  void shouldLeaveNoProbeContainerVolumeNetworkOrImageBehind() {
    assertThat(
            docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(Labels.ROLE, "doctor-probe"))
                .exec())
        .isEmpty();
    assertThat(docker.listNetworksCmd().withFilter("label", List.of(ROLE)).exec()).isEmpty();
    var volumes = docker.listVolumesCmd().withFilter("label", List.of(ROLE)).exec().getVolumes();
    assertThat(volumes == null ? List.of() : volumes).isEmpty();
    assertThat(docker.listImagesCmd().withLabelFilter(Map.of(Labels.ROLE, "doctor-probe")).exec())
        .isEmpty();
  }

  @Test
  void shouldSweepWhatADoctorKilledWithSigkillLeftButNotWhatARunningOneUses() throws Exception {
    // Given: probe resources of a doctor run whose process is gone (no hook runs on SIGKILL), and
    // a network of a run that is still alive (this JVM stands in for it)
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Map<String, String> orphan = probeLabels(gone.pid());
    Map<String, String> alive = probeLabels(ProcessHandle.current().pid());
    String container =
        docker
            .createContainerCmd("k3sbox/busybox:local")
            .withCmd("true")
            .withLabels(orphan)
            .exec()
            .getId();
    String network =
        docker.createNetworkCmd().withName("k3sbox-it-orphan").withLabels(orphan).exec().getId();
    String volume =
        docker.createVolumeCmd().withName("k3sbox-it-orphan").withLabels(orphan).exec().getName();
    String kept =
        docker.createNetworkCmd().withName("k3sbox-it-alive").withLabels(alive).exec().getId();
    try {
      // When
      Cli again = Cli.run("doctor", "--json");

      // Then
      assertThat(again.exitCode()).as(again.err()).isIn(0, 3);
      assertThat(
              docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(container)).exec())
          .isEmpty();
      assertThat(docker.listNetworksCmd().withIdFilter(network).exec()).isEmpty();
      var volumes = docker.listVolumesCmd().withFilter("name", List.of(volume)).exec().getVolumes();
      assertThat(volumes == null ? List.of() : volumes).isEmpty();
      assertThat(docker.listNetworksCmd().withIdFilter(kept).exec()).hasSize(1);
    } finally {
      docker.removeNetworkCmd(kept).exec();
    }
  }

  /** The labels a doctor run of process {@code pid} puts on what it makes. */
  private static Map<String, String> probeLabels(long pid) throws java.io.IOException {
    String host =
        java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
    return Map.of(
        Labels.MANAGED,
        "true",
        Labels.ROLE,
        "doctor-probe",
        "dev.k3sbox.probe-pid",
        Long.toString(pid),
        "dev.k3sbox.probe-host",
        host);
  }

  private static JsonNode check(String name) {
    for (JsonNode c : report.get("checks")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check named " + name + " in " + report);
  }
}
