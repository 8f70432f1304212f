package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.util.regex.Pattern;

/**
 * A cluster's name: an RFC 1123 label of at most 32 characters, because it becomes part of
 * container, volume and kubeconfig context names.
 */
public final class ClusterName {
  public static final String DEFAULT = "default";
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private ClusterName() {}

  /** Whether {@code name} is one k3sbox would accept (a folder or label may hold anything). */
  public static boolean isValid(String name) {
    return name != null && !name.isEmpty() && name.length() <= 32 && LABEL.matcher(name).matches();
  }

  public static String validate(String name) {
    if (!isValid(name)) {
      throw new K3sboxException(
          Failure.USAGE,
          "cluster name '"
              + name
              + "' is not valid: use 1-32 lower-case letters, digits and '-', starting and ending"
              + " with a letter or digit (e.g. dev-1)");
    }
    return name;
  }

  public static String container(String name) {
    return "k3sbox-" + name;
  }

  public static String volume(String name) {
    return "k3sbox-" + name + "-data";
  }

  public static String context(String name) {
    return "k3sbox-" + name;
  }
}
