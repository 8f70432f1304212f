package dev.k3sbox.core.kubeconfig;

import java.util.List;

/** Renders the three kubeconfig entries (cluster, user, context) k3sbox owns for one cluster. */
final class KubeconfigEntries {
  /** The top-level lists that hold one entry of k3sbox's for each cluster. */
  static final List<String> LISTS = List.of("clusters", "contexts", "users");

  private KubeconfigEntries() {}

  /** Top-level {@code clusters}, {@code contexts} and {@code users} lists with one entry each. */
  static String render(String name, Kubeconfig k) {
    return "clusters:\n"
        + cluster(name, k, "")
        + "contexts:\n"
        + context(name, "")
        + "users:\n"
        + user(name, k, "");
  }

  /** The entry named {@code name} of {@code list} (one of {@link #LISTS}). */
  static String item(String list, String name, Kubeconfig k, String indent) {
    return switch (list) {
      case "clusters" -> cluster(name, k, indent);
      case "contexts" -> context(name, indent);
      default -> user(name, k, indent);
    };
  }

  static String cluster(String name, Kubeconfig k, String indent) {
    return indent
        + "- cluster:\n"
        + indent
        + "    certificate-authority-data: "
        + Kubeconfig.base64(k.caPem())
        + "\n"
        + indent
        + "    server: "
        + k.server()
        + "\n"
        + indent
        + "  name: "
        + name
        + "\n";
  }

  static String context(String name, String indent) {
    return indent
        + "- context:\n"
        + indent
        + "    cluster: "
        + name
        + "\n"
        + indent
        + "    user: "
        + name
        + "\n"
        + indent
        + "  name: "
        + name
        + "\n";
  }

  static String user(String name, Kubeconfig k, String indent) {
    StringBuilder b = new StringBuilder();
    b.append(indent).append("- name: ").append(name).append('\n');
    b.append(indent).append("  user:\n");
    if (k.clientCertPem() != null) {
      b.append(indent)
          .append("    client-certificate-data: ")
          .append(Kubeconfig.base64(k.clientCertPem()))
          .append('\n');
      b.append(indent)
          .append("    client-key-data: ")
          .append(Kubeconfig.base64(k.clientKeyPem()))
          .append('\n');
    }
    if (k.token() != null) {
      b.append(indent).append("    token: ").append(k.token()).append('\n');
    }
    return b.toString();
  }
}
