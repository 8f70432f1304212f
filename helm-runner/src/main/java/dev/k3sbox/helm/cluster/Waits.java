package dev.k3sbox.helm.cluster;

import static org.awaitility.Awaitility.await;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/** Conditions install and validation wait on, each with a timeout that names what was awaited. */
public final class Waits {
  private static final Duration POLL = Duration.ofMillis(100);

  private Waits() {}

  /**
   * Waits until CRD {@code name} is Established and its kinds show in discovery; returns the
   * server's reason when it refuses the names instead.
   *
   * <p>The whole CRD (up to a megabyte for kube-prometheus-stack's) is fetched only now and then:
   * discovery lists a CRD's kinds once it is Established, so that small answer is asked each time,
   * and the CRD again when it shows there (to check the condition is this CRD's, not an older one's
   * with the same names) or every {@link #FULL_EVERY} polls (to see a refusal, which never shows in
   * discovery). Fetching ten such CRDs ten times a second each was most of an install's time on a
   * fresh server.
   */
  public static Optional<String> crdEstablished(
      ClusterConnection connection, String name, Duration timeout) {
    var crd = connection.client().apiextensions().v1().customResourceDefinitions().withName(name);
    AtomicReference<CustomResourceDefinition> last = new AtomicReference<>();
    AtomicInteger polls = new AtomicInteger();
    try {
      await("CustomResourceDefinition " + name + " to be Established")
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(POLL)
          .until(
              () -> {
                CustomResourceDefinition known = last.get();
                if (known == null || polls.incrementAndGet() % FULL_EVERY == 0) {
                  last.set(known = crd.get());
                }
                if (known == null) {
                  return false;
                }
                if (namesRefused(known).isPresent()) {
                  return true;
                }
                if (!inDiscovery(connection, known)) {
                  return false;
                }
                if (!established(known)) {
                  last.set(known = crd.get());
                }
                return established(known) || namesRefused(known).isPresent();
              });
    } catch (ConditionTimeoutException e) {
      throw new HelmRunnerException(
          Kind.CLUSTER,
          "CustomResourceDefinition "
              + name
              + " was not Established within "
              + timeout.toSeconds()
              + "s; check 'kubectl describe crd "
              + name
              + "'",
          e);
    }
    return namesRefused(last.get());
  }

  private static final int FULL_EVERY = 10;

  /** Whether every served version of {@code crd} lists its kind in discovery. */
  private static boolean inDiscovery(ClusterConnection connection, CustomResourceDefinition crd) {
    String group = crd.getSpec().getGroup();
    String kind = crd.getSpec().getNames().getKind();
    return crd.getSpec().getVersions().stream()
        .filter(v -> Boolean.TRUE.equals(v.getServed()))
        .allMatch(
            v -> {
              String apiVersion = group + "/" + v.getName();
              try {
                connection.forgetDiscovery(apiVersion);
                return connection.resourceType(apiVersion, kind).isPresent();
              } catch (RuntimeException e) {
                return false; // the group is not served yet
              }
            });
  }

  /** Waits until every object in {@code refs} is gone; returns those still there at timeout. */
  public static List<ObjectRef> deleted(
      ClusterConnection connection, List<ObjectRef> refs, Duration timeout) {
    try {
      // Asked at once: an object without finalizers is gone when its delete returns (Awaitility
      // would otherwise wait one interval first, 200 ms a hook, twice a hook).
      await("deletion of " + refs.size() + " objects")
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> remaining(connection, refs).isEmpty());
      return List.of();
    } catch (ConditionTimeoutException e) {
      return remaining(connection, refs);
    }
  }

  public static boolean exists(ClusterConnection connection, ObjectRef ref) {
    return connection.resource(ref).map(r -> r.get() != null).orElse(false);
  }

  private static List<ObjectRef> remaining(ClusterConnection connection, List<ObjectRef> refs) {
    return refs.stream().filter(r -> exists(connection, r)).toList();
  }

  private static boolean established(CustomResourceDefinition crd) {
    return condition(crd, "Established").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static Optional<String> namesRefused(CustomResourceDefinition crd) {
    return condition(crd, "NamesAccepted")
        .filter(c -> "False".equals(c.getStatus()))
        .map(CustomResourceDefinitionCondition::getMessage);
  }

  private static Optional<CustomResourceDefinitionCondition> condition(
      CustomResourceDefinition crd, String type) {
    if (crd == null || crd.getStatus() == null || crd.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return crd.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }
}
