package dev.k3sbox.helm.render;

import com.marcnuri.helm.Helm;
import com.sun.jna.platform.unix.LibC;

/**
 * Loads Helm's native library with the user's kubeconfig kept out of it. helm-java's {@code
 * template} still builds Helm's Kubernetes settings, and those read {@code $KUBECONFIG} (else
 * {@code ~/.kube/config}) and refuse a stale {@code current-context} ("context was not found"),
 * though a client-only render never talks to a cluster. So a stale context in a file k3sbox was not
 * even asked to use failed {@code validate --kubeconfig X} as a chart error.
 *
 * <p>The Go runtime in the library copies the environment when it loads, from the block the process
 * started with. So: {@code KUBECONFIG=/dev/null} (an empty kubeconfig) is set in the C environment,
 * the library is loaded, and the old value is put back at once, before any other thread could start
 * a process that inherits it. glibc replaces an existing variable in that first block, which is why
 * the {@code ./k3sbox} launcher exports {@code KUBECONFIG} (empty when unset): a variable added
 * later lands in a copy that Go never reads. Java's own view ({@link System#getenv()}) is a
 * snapshot taken before any of this.
 */
final class HelmLibraryLoader {
  private static boolean loaded;

  private HelmLibraryLoader() {}

  /** Loads the library as above; later calls, and calls after Helm was loaded, do nothing more. */
  static synchronized void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    String original = System.getenv("KUBECONFIG");
    LibC libc = libc();
    if (libc != null) {
      libc.setenv("KUBECONFIG", "/dev/null", 1);
    }
    try {
      Helm.version().call(); // the first call loads the library: Go copies the environment now
    } finally {
      if (libc != null) {
        if (original == null) {
          libc.unsetenv("KUBECONFIG");
        } else {
          libc.setenv("KUBECONFIG", original, 1);
        }
      }
    }
  }

  private static LibC libc() {
    try {
      return LibC.INSTANCE; // JNA's own binding, loaded on first use
    } catch (LinkageError e) {
      return null; // no C library to call: Helm reads the user's kubeconfig, as before
    }
  }
}
