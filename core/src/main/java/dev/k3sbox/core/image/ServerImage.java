package dev.k3sbox.core.image;

import dev.k3sbox.core.Labels;
import java.util.Map;

/**
 * A local image {@code up} can run, and whether its builder labelled it as needing no privilege
 * ({@code dev.k3sbox.image.privilege=none}, as the control-plane stand-in is).
 */
public record ServerImage(String name, boolean needsNoPrivilege) {
  /** {@code labels} as the daemon reports them, in a listing or an inspect; null for none. */
  static ServerImage of(String name, Map<String, String> labels) {
    return new ServerImage(
        name, labels != null && "none".equals(labels.get(Labels.IMAGE_PRIVILEGE)));
  }
}
