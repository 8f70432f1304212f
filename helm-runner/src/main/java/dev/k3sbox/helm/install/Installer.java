package dev.k3sbox.helm.install;

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
import dev.k3sbox.helm.validate.ScratchObjects;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Installs a rendered chart by server-side apply (field manager {@code k3sbox}): CRDs first and
 * waited on until Established, then namespaces, then the rest. A CRD of a {@code crds/} folder is
 * created only when missing and otherwise left as it is, as Helm does ({@code installCRDs}: "CRD …
 * is already present. Skipping."). What was applied is recorded in an {@link Inventory}, so
 * installing again prunes what the chart no longer renders and {@link #uninstall} removes exactly
 * what was applied.
 */
public final class Installer {
  private final ClusterConnection connection;
  private final ObjectApplier applier;
  private final HelmListener listener;

  public Installer(ClusterConnection connection, HelmListener listener) {
    this.connection = connection;
    this.applier = new ObjectApplier(connection);
    this.listener = listener;
  }

  public InstallResult install(
      String release, String namespace, List<ManifestObject> objects, InstallSpec spec) {
    try {
      return installOrFail(release, namespace, objects, spec);
    } catch (KubernetesClientException e) {
      throw ClusterConnection.failure("installing release " + release, e);
    }
  }

  private InstallResult installOrFail(
      String release, String namespace, List<ManifestObject> all, InstallSpec spec) {
    List<ManifestObject> objects = all.stream().filter(o -> !o.isHook()).toList();
    ensureNamespace(namespace, objects, spec.createNamespace());
    Optional<List<ObjectRef>> previous = Inventory.read(connection.client(), release, namespace);
    Hooks hooks =
        new Hooks(
            connection,
            applier,
            listener,
            spec.noHooks() ? List.of() : all.stream().filter(ManifestObject::isHook).toList(),
            previous.isPresent() ? "upgrade" : "install",
            namespace,
            spec.timeout());
    List<ApplyOutcome> applied = new ArrayList<>();
    List<ApplyOutcome> rejected = new ArrayList<>(hooks.run("pre"));
    if (!rejected.isEmpty()) {
      // As Helm: a failed pre-hook stops the release before any of its objects is applied.
      return new InstallResult(applied, rejected, List.of(), hooks.notes(), List.of());
    }
    List<ManifestObject> ordered = new ArrayList<>(objects);
    ordered.sort(Comparator.comparingInt(Installer::installRank));
    listener.step("applying " + ordered.size() + " objects of release " + release);
    Set<ObjectRef> present = ConcurrentHashMap.newKeySet();
    for (List<ManifestObject> batch : batches(ordered)) {
      List<ApplyOutcome> outcomes =
          InParallel.map(
              batch,
              IN_FLIGHT,
              object -> applyAndSettle(object, namespace, spec.timeout(), present),
              "installing");
      for (ApplyOutcome outcome : outcomes) {
        if (!outcome.accepted()) {
          rejected.add(outcome);
          continue;
        }
        if (present.contains(outcome.ref())) {
          continue;
        }
        applied.add(outcome);
        outcome.warnings().forEach(w -> listener.warn(outcome.ref().display() + ": " + w));
      }
    }
    // What Helm never deletes (CRDs of crds/, resource-policy keep) stays out of the inventory,
    // so neither uninstall nor a later install's pruning removes it.
    Set<ObjectRef> kept = new HashSet<>();
    for (ManifestObject object : ordered) {
      if (object.keptByHelm()) {
        applier.refOf(object, namespace).ifPresent(kept::add);
      }
    }
    List<ObjectRef> appliedRefs =
        applied.stream().map(ApplyOutcome::ref).filter(r -> !kept.contains(r)).toList();
    List<ObjectRef> pruned = new ArrayList<>();
    if (rejected.isEmpty()) {
      // By group, kind, namespace and name: an object whose apiVersion changed is still there.
      previous.ifPresent(
          old ->
              pruned.addAll(
                  old.stream()
                      .filter(r -> appliedRefs.stream().noneMatch(r::sameObject))
                      .toList()));
      Inventory.write(connection.client(), release, namespace, appliedRefs);
      if (!pruned.isEmpty()) {
        listener.step("pruning " + pruned.size() + " objects the chart no longer renders");
        Deletion.deleteAll(connection, pruned, spec.timeout(), listener);
      }
    } else {
      // Keep every object either install applied, so uninstall can still remove them all.
      List<ObjectRef> keep = new ArrayList<>(appliedRefs);
      previous.ifPresent(
          old ->
              old.stream().filter(r -> keep.stream().noneMatch(r::sameObject)).forEach(keep::add));
      Inventory.write(connection.client(), release, namespace, keep);
    }
    if (rejected.isEmpty()) {
      rejected.addAll(hooks.run("post"));
    }
    List<String> notes = new ArrayList<>(hooks.notes());
    if (spec.waitForReady()) {
      notes.addAll(waitForReady(applied, spec.timeout()));
    }
    return new InstallResult(
        applied,
        rejected,
        pruned,
        notes,
        ordered.stream()
            .map(o -> applier.refOf(o, namespace))
            .flatMap(Optional::stream)
            .filter(present::contains)
            .toList());
  }

  /** The objects {@code release} holds (its inventory); empty when no such release is here. */
  public Optional<List<ObjectRef>> releaseObjects(String release, String namespace) {
    try {
      return Inventory.read(connection.client(), release, namespace);
    } catch (KubernetesClientException e) {
      throw ClusterConnection.failure("reading release " + release, e);
    }
  }

  /** Deletes what {@code release} applied, then its inventory; returns the deleted objects. */
  public List<ObjectRef> uninstall(String release, String namespace, Duration timeout) {
    try {
      return uninstallOrFail(release, namespace, timeout);
    } catch (KubernetesClientException e) {
      throw ClusterConnection.failure("uninstalling release " + release, e);
    }
  }

  private List<ObjectRef> uninstallOrFail(String release, String namespace, Duration timeout) {
    List<ObjectRef> refs =
        Inventory.read(connection.client(), release, namespace)
            .orElseThrow(
                () ->
                    new HelmRunnerException(
                        Kind.USAGE,
                        "no k3sbox release "
                            + release
                            + " in namespace "
                            + namespace
                            + "; check the name and -n/--namespace (kubectl get secrets -A -l "
                            + Inventory.RELEASE_LABEL
                            + ")"));
    listener.step("deleting " + refs.size() + " objects of release " + release);
    Deletion.deleteAll(connection, refs, timeout, listener);
    Inventory.delete(connection.client(), release, namespace);
    return refs;
  }

  private void ensureNamespace(String namespace, List<ManifestObject> objects, boolean create) {
    if (!ReleaseNamespace.isMissing(connection, namespace, objects)) {
      return;
    }
    if (!create) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "namespace " + namespace + " does not exist; pass --create-namespace or another -n");
    }
    listener.step("creating namespace " + namespace);
    // Like helm --create-namespace, it is not part of the release: uninstall leaves it.
    Namespace ns =
        new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build();
    connection
        .client()
        .namespaces()
        .resource(ns)
        .fieldManager(ObjectApplier.FIELD_MANAGER)
        .serverSideApply();
  }

  private List<String> waitForReady(List<ApplyOutcome> applied, Duration timeout) {
    List<String> notes = new ArrayList<>();
    boolean noNodes = connection.client().nodes().list().getItems().isEmpty();
    long seconds = timeout.toSeconds();
    for (ApplyOutcome outcome : applied) {
      ObjectRef ref = outcome.ref();
      switch (Readiness.of(ref)) {
        case ESTABLISHED -> notes.add(ref.display() + ": Established");
        case ACTIVE -> {
          connection
              .client()
              .namespaces()
              .withName(ref.name())
              .waitUntilCondition(
                  n -> n != null && "Active".equals(n.getStatus().getPhase()),
                  seconds,
                  TimeUnit.SECONDS);
          notes.add(ref.display() + ": Active");
        }
        case CLUSTER_IP -> {
          Service svc =
              connection
                  .client()
                  .services()
                  .inNamespace(ref.namespace())
                  .withName(ref.name())
                  .waitUntilCondition(
                      s -> s != null && s.getSpec().getClusterIP() != null,
                      seconds,
                      TimeUnit.SECONDS);
          notes.add(ref.display() + ": cluster IP " + svc.getSpec().getClusterIP());
        }
        case WORKLOAD -> {
          if (noNodes) {
            notes.add(
                ref.display()
                    + ": not waited for; this cluster has no nodes (control plane only), so its"
                    + " pods stay Pending");
          } else {
            connection.resource(ref).ifPresent(r -> r.waitUntilReady(seconds, TimeUnit.SECONDS));
            notes.add(ref.display() + ": ready");
          }
        }
        case NONE -> {
          // Nothing to wait for: the apply itself was the whole effect.
        }
      }
    }
    return notes;
  }

  /**
   * Creates the CRDs of a chart's {@code crds/} folders that the cluster does not have, and waits
   * until each is Established: what Helm's install does before it renders the chart, so that its
   * templates see them. The next upgrade check's server is made ready this way too. Returns what
   * the server said of each.
   */
  public List<ApplyOutcome> createCrds(List<ManifestObject> crds, Duration timeout) {
    Set<ObjectRef> present = ConcurrentHashMap.newKeySet();
    List<ApplyOutcome> outcomes;
    try {
      outcomes =
          InParallel.map(
              crds,
              IN_FLIGHT,
              crd -> applyAndSettle(crd, "default", timeout, present),
              "creating CRDs");
    } catch (KubernetesClientException e) {
      throw ClusterConnection.failure("creating CRDs", e);
    }
    outcomes.stream()
        .filter(o -> o.accepted() && !present.contains(o.ref()))
        .forEach(o -> created.add(o.ref()));
    return outcomes;
  }

  /**
   * Whether {@link #createCrds} created any CRD, which the chart then has to be rendered again to
   * see, as Helm's install renders after making them.
   */
  public boolean createdCrds() {
    return !created.isEmpty();
  }

  /** crds/ CRDs {@link #createCrds} made: an install reports them as applied, not as present. */
  private final Set<ObjectRef> created = ConcurrentHashMap.newKeySet();

  /**
   * Applies one object; a CRD is waited for until Established (a rejection if it never is). A
   * {@code crds/} CRD the cluster has already is not sent (a no-op apply of one of
   * kube-prometheus-stack's CRDs still costs the server ~0.2 s) but added to {@code present};
   * unless it is one of validate's scratch objects, which the install takes over (the apply drops
   * their scratch label, which the same field manager set).
   */
  private ApplyOutcome applyAndSettle(
      ManifestObject object, String namespace, Duration timeout, Set<ObjectRef> present) {
    if (object.fromCrdsFolder()) {
      Optional<ObjectRef> ref = applier.refOf(object, namespace);
      if (ref.isPresent()
          && (created.contains(ref.get())
              || connection
                  .metadata(ref.get())
                  .filter(m -> !ScratchObjects.isScratch(m))
                  .isPresent())) {
        if (!created.contains(ref.get())) {
          present.add(ref.get());
        }
        return new ApplyOutcome(ref.get(), List.of(), List.of());
      }
    }
    ApplyOutcome outcome = applier.apply(object, namespace, false);
    if (outcome.accepted() && object.isCrd()) {
      Optional<String> refused = Waits.crdEstablished(connection, object.name(), timeout);
      if (refused.isPresent()) {
        return new ApplyOutcome(outcome.ref(), List.of(refused.get()), outcome.warnings());
      }
    }
    return outcome;
  }

  /**
   * Runs of consecutive objects of one kind (in install order), applied together, as Helm's kube
   * client sends them (batchPerform: one goroutine an object within a kind, kinds in order).
   */
  private static List<List<ManifestObject>> batches(List<ManifestObject> ordered) {
    List<List<ManifestObject>> batches = new ArrayList<>();
    for (ManifestObject object : ordered) {
      List<ManifestObject> last = batches.isEmpty() ? null : batches.get(batches.size() - 1);
      if (last != null
          && last.get(0).kind().equals(object.kind())
          && installRank(last.get(0)) == installRank(object)) {
        last.add(object);
      } else {
        batches.add(new ArrayList<>(List.of(object)));
      }
    }
    return batches;
  }

  private static final int IN_FLIGHT = 16;

  private static int installRank(ManifestObject object) {
    if (object.isCrd()) {
      return 0;
    }
    return object.isNamespace() ? 1 : 2;
  }
}
