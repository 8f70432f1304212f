package dev.k3sbox.core.kubeconfig;

/** Renders the three kubeconfig entries (cluster, user, context) k3sbox owns for one cluster. */
final class KubeconfigEntries {
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
