package dev.k3sbox.core.doctor;

import dev.k3sbox.core.Labels;
import dev.k3sbox.core.cluster.NetworkMode;
import dev.k3sbox.core.cluster.PrivilegeProfile;
import dev.k3sbox.core.image.ServerImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the checks into the choice {@code up} makes, with the same rules {@code up} applies: the
 * privilege the image asks for, else the most privilege that starts a container here; host
 * networking unless only bridge works. Pure, so the rules are tested without a daemon.
 */
public final class Recommender {
  private Recommender() {}

  /** The report for {@code checks}; {@code serverImage} is null when no server image is local. */
  public static DoctorReport decide(List<Check> checks, ServerImage serverImage) {
    Map<CheckId, Check> byId = new EnumMap<>(CheckId.class);
    checks.forEach(c -> byId.put(c.id(), c));
    String image = serverImage == null ? null : serverImage.name();

    Optional<String> blocked = blockingReason(byId);
    if (blocked.isPresent()
        && (failed(byId, CheckId.DAEMON) || failed(byId, CheckId.PROBE_IMAGE))) {
      return new DoctorReport(
          checks, new Recommendation(null, null, image, List.of(blocked.get())), blocked);
    }

    List<String> reasons = new ArrayList<>();
    PrivilegeProfile profile = privilege(byId, serverImage, reasons);
    NetworkMode network = network(byId, reasons);
    if (serverImage == null) {
      reasons.add(
          "no k3s or stand-in image is local yet: `up` needs one (`k3sbox image build`, or"
              + " `docker load`)");
    } else {
      reasons.add("`up` will run " + serverImage.name());
    }
    blocked.ifPresent(reasons::add);
    return new DoctorReport(checks, new Recommendation(profile, network, image, reasons), blocked);
  }

  /**
   * What {@code up --privileged=auto} gives the server: none, for every image. {@code k3s server
   * --disable-agent} runs no kubelet, containerd or flannel, evacuates no cgroup and reads no
   * {@code /dev/kmsg} (k3s's {@code pkg/cli/server}: only an agent must run as root); the stand-in
   * is labelled so. {@code up} goes further only where Docker refuses a plain container.
   */
  private static PrivilegeProfile privilege(
      Map<CheckId, Check> byId, ServerImage serverImage, List<String> reasons) {
    if (serverImage != null && serverImage.needsNoPrivilege()) {
      reasons.add(
          "privilege none: "
              + serverImage.name()
              + " is labelled "
              + Labels.IMAGE_PRIVILEGE
              + "=none (a control plane without agent needs no privilege)");
    } else {
      reasons.add(
          "privilege none: a k3s server without agent needs none (no kubelet, containerd, cgroups"
              + " or /dev/kmsg); --privileged "
              + (ok(byId, CheckId.PRIVILEGED)
                  ? "works here but is not needed"
                  : "fails here (" + detail(byId, CheckId.PRIVILEGED) + ")")
              + "; `up --privileged=always` grants it");
    }
    return PrivilegeProfile.NONE;
  }

  private static NetworkMode network(Map<CheckId, Check> byId, List<String> reasons) {
    if (ok(byId, CheckId.NETWORK_HOST)) {
      reasons.add("network host: works here and needs no bridge, iptables or port publishing");
      return NetworkMode.HOST;
    }
    if (ok(byId, CheckId.NETWORK_BRIDGE)) {
      reasons.add(
          "network bridge: --network host fails ("
              + detail(byId, CheckId.NETWORK_HOST)
              + "); bridge works, the API port will be published");
      return NetworkMode.BRIDGE;
    }
    return null;
  }

  /** The first reason {@code up} cannot work here, if any. */
  static Optional<String> blockingReason(Map<CheckId, Check> byId) {
    if (failed(byId, CheckId.DAEMON)) {
      return Optional.of(detail(byId, CheckId.DAEMON));
    }
    if (failed(byId, CheckId.PROBE_IMAGE)) {
      return Optional.of(detail(byId, CheckId.PROBE_IMAGE));
    }
    if (!ok(byId, CheckId.NETWORK_HOST) && !ok(byId, CheckId.NETWORK_BRIDGE)) {
      return Optional.of(
          "no container starts with --network host ("
              + detail(byId, CheckId.NETWORK_HOST)
              + ") or bridge ("
              + detail(byId, CheckId.NETWORK_BRIDGE)
              + "); k3sbox cannot run a server in this sandbox");
    }
    if (failed(byId, CheckId.FREE_DISK)) {
      return Optional.of(detail(byId, CheckId.FREE_DISK));
    }
    return Optional.empty();
  }

  private static boolean ok(Map<CheckId, Check> byId, CheckId id) {
    Check c = byId.get(id);
    return c != null && c.isOk();
  }

  private static boolean failed(Map<CheckId, Check> byId, CheckId id) {
    Check c = byId.get(id);
    return c != null && c.status() == CheckStatus.FAIL;
  }

  private static String detail(Map<CheckId, Check> byId, CheckId id) {
    Check c = byId.get(id);
    return c == null ? "not checked" : c.detail();
  }
}
