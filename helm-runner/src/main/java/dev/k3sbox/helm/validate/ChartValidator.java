package dev.k3sbox.helm.validate;

import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.cluster.ApplyOutcome;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.Deletion;
import dev.k3sbox.helm.cluster.InParallel;
import dev.k3sbox.helm.cluster.ObjectApplier;
import dev.k3sbox.helm.cluster.ObjectRef;
import dev.k3sbox.helm.cluster.ReleaseNamespace;
import dev.k3sbox.helm.cluster.Waits;
import dev.k3sbox.helm.parse.ManifestObject;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validates every object of a chart against a real API server, reporting every failure rather than
 * the first.
 *
 * <p>Objects that need others of the same chart (a Deployment in a namespace the chart creates, a
 * custom resource of a CRD the chart brings, a Pod and its ServiceAccount) can only be dry-run once
 * those exist. So the chart's missing Namespaces, CRDs and such ServiceAccounts are made for real
 * in a scratch scope first (labelled {@link ScratchObjects#LABEL}; CRDs waited on until
 * Established), and everything else is dry-run in parallel. What happens to the scratch scope after
 * is the {@link ScratchPolicy}: kept for reuse on a k3sbox cluster, deleted (without waiting) on
 * anyone else's. Either way, no object the cluster had is changed.
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
  private final ScratchPolicy policy;
  private boolean strict;
  private Map<Sent, ObjectResult> verdicts;

  public ChartValidator(ClusterConnection connection, HelmListener listener, int parallel) {
    this(connection, listener, parallel, ScratchPolicy.DELETE);
  }

  public ChartValidator(
      ClusterConnection connection, HelmListener listener, int parallel, ScratchPolicy policy) {
    if (parallel < 1) {
      throw new HelmRunnerException(
          Kind.USAGE, "--parallel " + parallel + " is not positive; pass 1 or more");
    }
    this.connection = connection;
    this.applier = new ObjectApplier(connection);
    this.listener = listener;
    this.parallel = parallel;
    this.policy = policy;
  }

  /**
   * Reuse the verdict on an object this validator already sent, the very same parsed object ({@link
   * dev.k3sbox.helm.parse.ManifestParser} shares identical documents) to the same namespace: the
   * cells of a matrix on one server repeat most objects, and a dry run changes nothing, so asking
   * again would only repeat the answer.
   */
  public ChartValidator reusingVerdicts() {
    // Deleted scratch objects leave each validation in another state: nothing to reuse then.
    this.verdicts = policy == ScratchPolicy.KEEP ? new ConcurrentHashMap<>() : null;
    return this;
  }

  /**
   * An object sent to a namespace while the scratch scope was as it is ({@code epoch}), compared by
   * identity: the parser shares equal documents. A dry run's answer depends on the Namespaces and
   * CRDs there: one values set may make a CRD another lacks, so a verdict is reused only while no
   * scratch object has been made or changed since.
   */
  private record Sent(ManifestObject object, String namespace, int epoch) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Sent s
          && s.object == object
          && s.namespace.equals(namespace)
          && s.epoch == epoch;
    }

    @Override
    public int hashCode() {
      return 31 * (31 * System.identityHashCode(object) + namespace.hashCode()) + epoch;
    }
  }

  /** Counts the scratch objects made or changed: the state verdicts are reused in. */
  private final java.util.concurrent.atomic.AtomicInteger epoch =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Server-side apply's refusals that Helm 3's install accepts are errors, not warnings. */
  public ChartValidator strict(boolean strict) {
    this.strict = strict;
    return this;
  }

  public ValidationReport validate(
      String chart, String release, String namespace, List<ManifestObject> objects) {
    ObjectResult[] results = new ObjectResult[objects.size()];
    List<ObjectRef> created = new CopyOnWriteArrayList<>();
    // Ctrl-C and SIGTERM skip the finally below; the hook still deletes what this run created
    // (without waiting, so the process ends at once). With KEEP there is nothing to delete.
    Thread onExit =
        new Thread(() -> Deletion.deleteWithoutWaiting(connection, created), "k3sbox-scratch");
    if (policy == ScratchPolicy.DELETE) {
      Runtime.getRuntime().addShutdownHook(onExit);
    }
    try {
      ensureReleaseNamespace(namespace, objects, created);
      Set<String> podAccounts = ServiceAccounts.namedByPods(objects, namespace);
      // Namespaces and CRDs at once, then the ServiceAccounts, which may be in those namespaces.
      List<Integer> first = new ArrayList<>();
      List<Integer> then = new ArrayList<>();
      for (int i = 0; i < objects.size(); i++) {
        ManifestObject object = objects.get(i);
        if (object.isNamespace() || object.isCrd()) {
          first.add(i);
        } else if (ServiceAccounts.isOneOf(object, namespace, podAccounts)) {
          then.add(i);
        }
      }
      // Several at a time: each is a request or two (more for a CRD, waited for until
      // Established), and one after another they were a fifth of kube-prometheus-stack's
      // validation (~30 of them).
      for (List<Integer> step : List.of(first, then)) {
        fill(
            results,
            step,
            i -> prerequisiteOnce(objects.get(i), namespace, created),
            "making the scratch scope");
      }
      dryRunRest(objects, namespace, results);
    } catch (KubernetesClientException e) {
      throw ClusterConnection.failure("validating " + chart, e);
    } finally {
      if (policy == ScratchPolicy.DELETE) {
        cleanUp(created);
        removeHook(onExit);
      }
    }
    return new ValidationReport(chart, release, namespace, List.of(results));
  }

  /** Helm puts objects without a namespace into the release namespace; it must exist to dry-run. */
  private void ensureReleaseNamespace(
      String namespace, List<ManifestObject> objects, List<ObjectRef> created) {
    if (ReleaseNamespace.isMissing(connection, namespace, objects)) {
      listener.info("namespace " + namespace + " does not exist; creating it for validation only");
      ObjectResult result = prerequisite(ScratchObjects.namespace(namespace), namespace, created);
      if (!result.valid()) {
        throw new HelmRunnerException(
            Kind.USAGE,
            "release namespace "
                + namespace
                + " cannot be created ("
                + result.errors().get(0)
                + "); pass another -n/--namespace");
      }
    }
  }

  /**
   * A Namespace, CRD or ServiceAccount that other objects need to exist: dry-run if the cluster has
   * it; made for real in the scratch scope if not. A scratch object kept by an earlier run is
   * reused while it was made from the same rendered object, and brought up to date otherwise. One
   * still being deleted (an earlier run's clean-up, a user's delete) is waited for first.
   */
  private ObjectResult prerequisite(
      ManifestObject object, String namespace, List<ObjectRef> created) {
    Optional<ObjectRef> ref = applier.refOf(object, namespace);
    Optional<GenericKubernetesResource> existing = ref.flatMap(this::current);
    if (existing.isPresent() && existing.get().getMetadata().getDeletionTimestamp() != null) {
      listener.step(object.displayName() + " is being deleted; waiting for it to go");
      if (!Waits.deleted(connection, List.of(ref.get()), WAIT).isEmpty()) {
        throw new HelmRunnerException(
            Kind.CLUSTER,
            object.displayName()
                + " has been terminating for over "
                + WAIT.toSeconds()
                + "s (a finalizer that does not finish); check it with kubectl describe, then"
                + " run again");
      }
      existing = Optional.empty();
    }
    if (existing.isPresent() && !ScratchObjects.isScratch(existing.get())) {
      return toResult(object, applier.apply(object, namespace, true));
    }
    if (existing.isPresent() && ScratchObjects.madeFrom(existing.get(), object)) {
      // The server accepted exactly this object when it was made; asking again (a dry-run update
      // of a CRD) costs the API server a new schema and OpenAPI model each time.
      return toResult(object, new ApplyOutcome(ref.get(), List.of(), List.of()));
    }
    listener.step(
        (existing.isPresent() ? "updating " : "creating ")
            + object.displayName()
            + " in the scratch scope");
    epoch.incrementAndGet();
    ApplyOutcome outcome = applier.apply(ScratchObjects.labelled(object), namespace, false);
    if (!outcome.accepted()) {
      return toResult(object, outcome);
    }
    if (existing.isEmpty()) {
      created.add(outcome.ref());
    }
    if (object.isCrd()) {
      Optional<String> refused = Waits.crdEstablished(connection, object.name(), WAIT);
      if (refused.isPresent()) {
        return toResult(
            object, new ApplyOutcome(outcome.ref(), List.of(refused.get()), outcome.warnings()));
      }
    }
    return toResult(object, outcome);
  }

  /**
   * The object as the cluster has it, metadata only: all that deciding about it needs; from the
   * server's watch cache, since a validation changes nothing the user has.
   */
  private Optional<GenericKubernetesResource> current(ObjectRef ref) {
    return connection
        .cachedMetadata(ref)
        .map(
            meta -> {
              GenericKubernetesResource r = new GenericKubernetesResource();
              r.setMetadata(meta);
              return r;
            });
  }

  /**
   * A prerequisite, handled once per validator when scratch objects are kept: a later cell of a
   * matrix finds it made (or refused) by an earlier one, and reading kube-prometheus-stack's 5 MB
   * of CRDs back from the server for each cell cost more than the dry runs. Deleted scratch objects
   * must be made again for each validation, so then each is handled anew.
   */
  private ObjectResult prerequisiteOnce(
      ManifestObject object, String namespace, List<ObjectRef> created) {
    return remembered(object, namespace, () -> prerequisite(object, namespace, created));
  }

  private ObjectResult dryRun(ManifestObject object, String namespace) {
    return remembered(
        object,
        namespace,
        () ->
            toResult(
                object, helm3Leniency(object, namespace, applier.apply(object, namespace, true))));
  }

  /** {@code ask}'s verdict, or the one remembered for this object in this state (see Sent). */
  private ObjectResult remembered(
      ManifestObject object, String namespace, java.util.function.Supplier<ObjectResult> ask) {
    if (verdicts == null) {
      return ask.get();
    }
    Sent sent = new Sent(object, namespace, epoch.get());
    ObjectResult known = verdicts.get(sent);
    if (known != null) {
      return known;
    }
    ObjectResult result = ask.get();
    verdicts.put(sent, result);
    return result;
  }

  private void dryRunRest(List<ManifestObject> objects, String namespace, ObjectResult[] results) {
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null) {
        todo.add(i);
      }
    }
    listener.step("dry-running " + todo.size() + " objects (" + parallel + " at a time)");
    try {
      fill(results, todo, i -> dryRun(objects.get(i), namespace), "dry-running objects");
    } catch (KubernetesClientException e) {
      throw ClusterConnection.failure("dry-running objects", e);
    }
  }

  /** {@code results} at {@code indexes}, from {@code work}, {@link #parallel} at a time. */
  private void fill(
      ObjectResult[] results,
      List<Integer> indexes,
      java.util.function.Function<Integer, ObjectResult> work,
      String during) {
    List<ObjectResult> done = InParallel.map(indexes, parallel, work, during);
    for (int k = 0; k < indexes.size(); k++) {
      results[indexes.get(k)] = done.get(k);
    }
  }

  /**
   * Asks for the deletion of what this run created and goes on: no run waits on a deletion (a CRD's
   * can take minutes while the API server re-initialises its storage); a later run that needs one
   * of them again waits for it then, in {@link #prerequisite}.
   */
  private void cleanUp(List<ObjectRef> created) {
    if (created.isEmpty()) {
      return;
    }
    listener.step("removing the scratch scope (" + created.size() + " objects)");
    Deletion.deleteWithoutWaiting(connection, created);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs, and deleting twice is harmless.
    }
  }

  /**
   * Server-side apply (Helm 4, kubectl apply --server-side, and this validation) refuses a list
   * with two entries of one key, such as two env vars named FOO; Helm 3's install creates the
   * object and the server keeps the last. Unless {@code strict}, such an object is reported valid
   * with a warning naming both behaviours, when a dry-run create accepts it.
   */
  private ApplyOutcome helm3Leniency(ManifestObject object, String namespace, ApplyOutcome ssa) {
    if (strict
        || ssa.accepted()
        || ssa.errors().stream().noneMatch(e -> e.contains("duplicate entries for key"))) {
      return ssa;
    }
    return applier
        .createDryRun(object, namespace)
        .filter(ApplyOutcome::accepted)
        .map(
            created -> {
              List<String> warnings = new ArrayList<>(created.warnings());
              warnings.add(
                  "server-side apply (Helm 4, kubectl apply --server-side) refuses this object: "
                      + ssa.errors().get(0).replaceAll("\\s*\\n\\s*", " ")
                      + "; Helm 3's install accepts it and the server keeps the last entry"
                      + " (--strict makes this an error)");
              return new ApplyOutcome(ssa.ref(), List.of(), warnings);
            })
        .orElse(ssa);
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
}
