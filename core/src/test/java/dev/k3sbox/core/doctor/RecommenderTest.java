package dev.k3sbox.core.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.cluster.NetworkMode;
import dev.k3sbox.core.cluster.PrivilegeProfile;
import dev.k3sbox.core.image.ServerImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecommenderTest {
  private static final String CAPS_ERROR =
      "failed to create shim task: unable to apply caps: operation not permitted: unknown";
  private static final String BRIDGE_ERROR =
      "failed to set up container networking: failed to subscribe to link updates:"
          + " permission denied";
  private static final ServerImage K3S =
      new ServerImage("rancher/k3s:v1.33.5-k3s1", false, ServerImage.K3S);

  /** The gVisor sandbox of the seed: no --privileged, no bridge. */
  private static List<Check> gvisor() {
    return new ArrayList<>(
        List.of(
            Check.ok(CheckId.DAEMON, "Docker 28.2.2"),
            Check.ok(CheckId.PROBE_IMAGE, "rancher/k3s:v1.33.5-k3s1 (has /bin/sh)"),
            Check.fail(CheckId.PRIVILEGED, CAPS_ERROR),
            Check.ok(CheckId.CAPABILITIES, "40 capabilities"),
            Check.ok(CheckId.NETWORK_HOST, "ok"),
            Check.fail(CheckId.NETWORK_BRIDGE, BRIDGE_ERROR),
            Check.ok(CheckId.FREE_DISK, "70 GiB")));
  }

  @Test
  void shouldRecommendNoPrivilegeAndHostWherePrivilegedAndBridgeFail() {
    DoctorReport report = Recommender.decide(gvisor(), K3S);

    assertThat(report.canRunUp()).isTrue();
    assertThat(report.recommendation().privilegeProfile()).isEqualTo(PrivilegeProfile.NONE);
    assertThat(report.recommendation().networkMode()).isEqualTo(NetworkMode.HOST);
    assertThat(report.recommendation().image()).isEqualTo(K3S.name());
    assertThat(report.recommendation().reasons())
        .anySatisfy(r -> assertThat(r).contains(CAPS_ERROR));
  }

  @Test
  void shouldRecommendNoPrivilegeForAnAgentlessK3sEvenWherePrivilegedWorks() {
    List<Check> checks = gvisor();
    checks.set(2, Check.ok(CheckId.PRIVILEGED, "ok"));

    DoctorReport report = Recommender.decide(checks, K3S);

    assertThat(report.recommendation().privilegeProfile()).isEqualTo(PrivilegeProfile.NONE);
    assertThat(report.recommendation().reasons())
        .anySatisfy(r -> assertThat(r).contains("works here but is not needed"));
  }

  @Test
  void shouldFollowTheImageLabelOverWhatWorks() {
    List<Check> checks = gvisor();
    checks.set(2, Check.ok(CheckId.PRIVILEGED, "ok"));
    ServerImage standin =
        new ServerImage("k3sbox/controlplane-standin:dev", true, ServerImage.STANDIN);

    DoctorReport report = Recommender.decide(checks, standin);

    assertThat(report.recommendation().privilegeProfile()).isEqualTo(PrivilegeProfile.NONE);
    assertThat(report.recommendation().reasons().get(0))
        .contains("dev.k3sbox.image.privilege=none");
  }

  @Test
  void shouldFallBackToNoPrivilegeWhenNeitherPrivilegedNorCapabilitiesStart() {
    List<Check> checks = gvisor();
    checks.set(3, Check.fail(CheckId.CAPABILITIES, "operation not permitted"));

    DoctorReport report = Recommender.decide(checks, K3S);

    assertThat(report.canRunUp()).isTrue();
    assertThat(report.recommendation().privilegeProfile()).isEqualTo(PrivilegeProfile.NONE);
  }

  @Test
  void shouldChooseBridgeOnlyWhenHostFailsAndBridgeWorks() {
    List<Check> checks = gvisor();
    checks.set(4, Check.fail(CheckId.NETWORK_HOST, "host networking is disabled"));
    checks.set(5, Check.ok(CheckId.NETWORK_BRIDGE, "ok"));

    DoctorReport report = Recommender.decide(checks, K3S);

    assertThat(report.recommendation().networkMode()).isEqualTo(NetworkMode.BRIDGE);
    assertThat(report.recommendation().reasons())
        .anySatisfy(r -> assertThat(r).contains("host networking is disabled"));
  }

  @Test
  void shouldBlockWhenNoNetworkModeStartsAContainer() {
    List<Check> checks = gvisor();
    checks.set(4, Check.fail(CheckId.NETWORK_HOST, "host networking is disabled"));

    DoctorReport report = Recommender.decide(checks, K3S);

    assertThat(report.canRunUp()).isFalse();
    assertThat(report.recommendation().networkMode()).isNull();
    assertThat(report.blockingReason())
        .get()
        .asString()
        .contains("host networking is disabled")
        .contains(BRIDGE_ERROR);
  }

  @Test
  void shouldBlockWithTheDaemonsReasonWhenNoDaemonAnswers() {
    List<Check> checks =
        List.of(
            Check.fail(
                CheckId.DAEMON,
                "no Docker daemon answers at unix:///var/run/docker.sock; run `k3sbox doctor"
                    + " --fix` to start one"));

    DoctorReport report = Recommender.decide(checks, null);

    assertThat(report.canRunUp()).isFalse();
    assertThat(report.blockingReason()).get().asString().contains("k3sbox doctor --fix");
    assertThat(report.recommendation().privilegeProfile()).isNull();
    assertThat(report.recommendation().networkMode()).isNull();
  }

  @Test
  void shouldBlockWhenTheDiskIsFull() {
    List<Check> checks = gvisor();
    checks.set(6, Check.fail(CheckId.FREE_DISK, "0.2 GiB free under /var/lib/docker"));

    DoctorReport report = Recommender.decide(checks, K3S);

    assertThat(report.canRunUp()).isFalse();
    assertThat(report.recommendation().privilegeProfile()).isEqualTo(PrivilegeProfile.NONE);
  }

  @Test
  void shouldSayWhenNoServerImageIsLocal() {
    DoctorReport report = Recommender.decide(gvisor(), null);

    assertThat(report.canRunUp()).isTrue();
    assertThat(report.recommendation().image()).isNull();
    assertThat(report.recommendation().reasons())
        .anySatisfy(r -> assertThat(r).contains("k3sbox image build"));
  }
}
