package dev.k3sbox.helm.validate;

import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.cluster.ApplyOutcome;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.Deletion;
import dev.k3sbox.helm.cluster.ObjectApplier;
import dev.k3sbox.helm.cluster.ObjectRef;
import dev.k3sbox.helm.cluster.ReleaseNamespace;
import dev.k3sbox.helm.cluster.Waits;
import dev.k3sbox.helm.parse.ManifestObject;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validates every object of a chart against a real API server, reporting every failure rather than
 * the first.
 *
 * <p>Objects that need others of the same chart (a Deployment in a namespace the chart creates, a
 * custom resource of a CRD the chart brings) can only be dry-run once those exist. So the chart's
 * missing Namespaces and CRDs are created for real in a scratch scope first (CRDs waited on until
 * Established), everything else is dry-run in parallel, and the scratch scope is deleted
 * afterwards: validation leaves the cluster as it found it.
 */
public final class ChartValidator {
  static final String WEBHOOK_WARNING =
      "registers an admission webhook: in a control-plane-only cluster its pods never run, so"
          + " with failurePolicy: Fail it blocks every request it matches";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ClusterConnection connection;
  private final ObjectApplier applier;
  private final HelmListener listener;
  private final int parallel;

  public ChartValidator(ClusterConnection connection, HelmListener listener, int parallel) {
    if (parallel < 1) {
      throw new HelmRunnerException(
          Kind.USAGE, "--parallel " + parallel + " is not positive; pass 1 or more");
    }
    this.connection = connection;
    this.applier = new ObjectApplier(connection);
    this.listener = listener;
    this.parallel = parallel;
  }

  public ValidationReport validate(
      String chart, String release, String namespace, List<ManifestObject> objects) {
    ObjectResult[] results = new ObjectResult[objects.size()];
    List<ObjectRef> scratch = new CopyOnWriteArrayList<>();
    // Ctrl-C skips the finally below; the hook still deletes the scratch scope (without waiting,
    // so the process can end). What it cannot delete, the label k3sbox.dev/scratch=true finds.
    Thread onExit =
        new Thread(
            () -> Deletion.deleteWithoutWaiting(connection, scratch), "k3sbox-scratch-cleanup");
    Runtime.getRuntime().addShutdownHook(onExit);
    try {
      ensureReleaseNamespace(namespace, objects, scratch);
      for (int i = 0; i < objects.size(); i++) {
        ManifestObject object = objects.get(i);
        if (object.isNamespace() || object.isCrd()) {
          results[i] = prerequisite(object, namespace, scratch);
        }
      }
      dryRunRest(objects, namespace, results);
    } catch (KubernetesClientException e) {
      throw ClusterConnection.failure("validating " + chart, e);
    } finally {
      cleanUp(scratch);
      removeHook(onExit);
    }
    return new ValidationReport(chart, release, namespace, List.of(results));
  }

  /** Helm puts objects without a namespace into the release namespace; it must exist to dry-run. */
  private void ensureReleaseNamespace(
      String namespace, List<ManifestObject> objects, List<ObjectRef> scratch) {
    if (ReleaseNamespace.isMissing(connection, namespace, objects)) {
      listener.info("namespace " + namespace + " does not exist; creating it for validation only");
      ManifestObject ns = ScratchObjects.namespace(namespace);
      ApplyOutcome outcome = applier.apply(ns, namespace, false);
      if (!outcome.accepted()) {
        throw new HelmRunnerException(
            Kind.USAGE,
            "release namespace "
                + namespace
                + " cannot be created ("
                + outcome.errors().get(0)
                + "); pass another -n/--namespace");
      }
      scratch.add(outcome.ref());
    }
  }

  /** A Namespace or CRD: dry-run if it exists already, else created in the scratch scope. */
  private ObjectResult prerequisite(
      ManifestObject object, String namespace, List<ObjectRef> scratch) {
    Optional<ObjectRef> ref = applier.refOf(object, namespace);
    boolean exists = ref.isPresent() && Waits.exists(connection, ref.get());
    if (exists) {
      return toResult(object, applier.apply(object, namespace, true));
    }
    listener.step("creating " + object.displayName() + " in the scratch scope");
    ApplyOutcome outcome = applier.apply(ScratchObjects.labelled(object), namespace, false);
    if (!outcome.accepted()) {
      return toResult(object, outcome);
    }
    scratch.add(outcome.ref());
    if (object.isCrd()) {
      Optional<String> refused = Waits.crdEstablished(connection, object.name(), WAIT);
      if (refused.isPresent()) {
        return toResult(
            object, new ApplyOutcome(outcome.ref(), List.of(refused.get()), outcome.warnings()));
      }
    }
    return toResult(object, outcome);
  }

  private void dryRunRest(List<ManifestObject> objects, String namespace, ObjectResult[] results) {
    int pending = 0;
    for (ObjectResult r : results) {
      pending += r == null ? 1 : 0;
    }
    listener.step("dry-running " + pending + " objects (" + parallel + " at a time)");
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<ObjectResult>> futures = new ArrayList<>();
      for (int i = 0; i < objects.size(); i++) {
        ManifestObject object = objects.get(i);
        futures.add(
            results[i] != null
                ? null
                : pool.submit(() -> toResult(object, applier.apply(object, namespace, true))));
      }
      for (int i = 0; i < futures.size(); i++) {
        if (futures.get(i) != null) {
          results[i] = futures.get(i).get();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HelmRunnerException(Kind.CLUSTER, "validation was interrupted", e);
    } catch (ExecutionException e) {
      throw asClusterFailure(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private void cleanUp(List<ObjectRef> scratch) {
    if (scratch.isEmpty()) {
      return;
    }
    listener.step("removing the scratch scope (" + scratch.size() + " objects)");
    Deletion.deleteAll(connection, scratch, WAIT, listener);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs, and deleting twice is harmless.
    }
  }

  private ObjectResult toResult(ManifestObject object, ApplyOutcome outcome) {
    List<String> warnings = new ArrayList<>(outcome.warnings());
    if (object.kind().endsWith("WebhookConfiguration")
        && object.group().equals("admissionregistration.k8s.io")) {
      warnings.add(WEBHOOK_WARNING);
      listener.warn(object.displayName() + " " + WEBHOOK_WARNING);
    }
    List<String> errors = new ArrayList<>(object.duplicateFields());
    errors.addAll(outcome.errors());
    return new ObjectResult(outcome.ref(), object.source(), errors, warnings, object.hook());
  }

  private static HelmRunnerException asClusterFailure(Throwable cause) {
    if (cause instanceof HelmRunnerException h) {
      return h;
    }
    if (cause instanceof KubernetesClientException k) {
      return ClusterConnection.failure("dry-running objects", k);
    }
    return new HelmRunnerException(
        Kind.CLUSTER,
        "the cluster failed during validation ("
            + cause.getMessage()
            + "); check that it is up and run again",
        cause);
  }
}
