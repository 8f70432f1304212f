package dev.k3sbox.helm.cluster;

import dev.k3sbox.helm.HelmListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Deletes objects in reverse install order and waits until they are gone. */
public final class Deletion {
  private Deletion() {}

  /**
   * Deletes everything else, then namespaces, then CRDs (the reverse of install order: a namespace
   * waits for what is inside it, a CRD for its custom resources), and waits for all of it.
   */
  public static void deleteAll(
      ClusterConnection connection,
      Collection<ObjectRef> refs,
      Duration timeout,
      HelmListener listener) {
    List<ObjectRef> order = inDeletionOrder(refs);
    for (ObjectRef ref : order) {
      delete(connection, ref);
    }
    List<ObjectRef> left = Waits.deleted(connection, order, timeout);
    if (!left.isEmpty()) {
      listener.warn(
          "still terminating after "
              + timeout.toSeconds()
              + "s: "
              + left.stream().map(ObjectRef::display).toList()
              + "; they will go once their finalizers run");
    }
  }

  /**
   * Asks for the same deletions without waiting, and goes on past any that fails: for a JVM on its
   * way out, which must neither hang nor stop at the first error.
   */
  public static void deleteWithoutWaiting(
      ClusterConnection connection, Collection<ObjectRef> refs) {
    for (ObjectRef ref : inDeletionOrder(refs)) {
      try {
        delete(connection, ref);
      } catch (RuntimeException e) {
        // Left to the caller's way of finding leftovers; the others still get their request.
      }
    }
  }

  private static void delete(ClusterConnection connection, ObjectRef ref) {
    connection.resource(ref).ifPresent(r -> r.delete());
  }

  private static List<ObjectRef> inDeletionOrder(Collection<ObjectRef> refs) {
    List<ObjectRef> order = new ArrayList<>(refs);
    order.sort(Comparator.comparingInt(Deletion::rank));
    return order;
  }

  private static int rank(ObjectRef ref) {
    if (ref.isCrd()) {
      return 2;
    }
    return ref.isNamespace() ? 1 : 0;
  }
}
