package dev.k3sbox.helm.matrix;

/**
 * One configuration of a matrix run: a values set on a server of one Kubernetes version.
 *
 * @param valuesSet the set's name: its file as given ({@code ci/tls-values.yaml}), or {@code
 *     default} for the chart's defaults with the common {@code -f}/{@code --set}
 * @param kubernetesVersion the server's version as it reports it ({@code v1.37.2+k3sbox})
 */
public record MatrixCell(String valuesSet, String kubernetesVersion) {
  /** The name of the values set that adds no file. */
  public static final String DEFAULT_SET = "default";

  /** {@code ci/tls-values.yaml on v1.37.2}, for reports. */
  public String display() {
    return valuesSet + " on " + shortVersion(kubernetesVersion);
  }

  /** {@code v1.37.2} of {@code v1.37.2+k3sbox}: the build suffix says nothing to a reader. */
  public static String shortVersion(String version) {
    int plus = version.indexOf('+');
    return plus < 0 ? version : version.substring(0, plus);
  }
}
