package dev.k3sbox.core.image;

import dev.k3sbox.core.Labels;
import java.util.Map;

/**
 * A local image {@code up} can run: whether its builder labelled it as needing no privilege ({@code
 * dev.k3sbox.image.privilege=none}, as the control-plane stand-in is), and the kind of server it
 * runs ({@code standin}, or {@code k3s} for every other image), which decides the layout of its
 * data volume.
 */
public record ServerImage(String name, boolean needsNoPrivilege, String serverKind) {
  /** The kind of the control-plane stand-in; {@link #K3S} for every other image. */
  public static final String STANDIN = "standin";

  public static final String K3S = "k3s";

  /** {@code labels} as the daemon reports them, in a listing or an inspect; null for none. */
  static ServerImage of(String name, Map<String, String> labels) {
    boolean standin = labels != null && STANDIN.equals(labels.get(Labels.IMAGE_FLAVOR));
    return new ServerImage(
        name,
        labels != null && "none".equals(labels.get(Labels.IMAGE_PRIVILEGE)),
        standin ? STANDIN : K3S);
  }
}
