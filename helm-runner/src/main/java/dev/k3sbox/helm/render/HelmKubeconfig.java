package dev.k3sbox.helm.render;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Keeps the user's kubeconfig out of Helm's template engine. helm-java's {@code template} still
 * builds Helm's Kubernetes settings, and those read {@code $KUBECONFIG} (else {@code
 * ~/.kube/config}) and refuse a stale {@code current-context} ("context was not found"), though a
 * client-only render never talks to a cluster. So a stale context in a file k3sbox was not even
 * asked to use failed {@code validate --kubeconfig X} as a chart error.
 *
 * <p>The Go runtime inside the native library copies the process environment when the library
 * loads, so an empty kubeconfig ({@code /dev/null}) put there first is all Helm sees. Java's own
 * view of the environment ({@link System#getenv()}: fabric8's, docker-java's, child processes') is
 * a snapshot, taken here before the change, and keeps the user's value.
 */
final class HelmKubeconfig {
  private static boolean isolated;

  private HelmKubeconfig() {}

  /** Call before the first Helm call of this JVM; later calls do nothing. */
  static synchronized void isolate() {
    if (isolated) {
      return;
    }
    isolated = true;
    System.getenv(); // Java's snapshot first, with the user's KUBECONFIG in it
    try {
      Native.load("c", LibC.class).setenv("KUBECONFIG", "/dev/null", 1);
    } catch (UnsatisfiedLinkError e) {
      // No C library to call (not Linux or macOS): Helm reads the user's kubeconfig, as before.
    }
  }

  /** The one libc function needed. */
  interface LibC extends Library {
    int setenv(String name, String value, int overwrite);
  }
}
