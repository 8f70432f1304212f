package dev.k3sbox.helm.upgrade;

import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.cluster.ApplyOutcome;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.InParallel;
import dev.k3sbox.helm.cluster.ObjectApplier;
import dev.k3sbox.helm.cluster.ObjectRef;
import dev.k3sbox.helm.install.InstallResult;
import dev.k3sbox.helm.install.InstallSpec;
import dev.k3sbox.helm.install.Installer;
import dev.k3sbox.helm.parse.ManifestObject;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An upgrade, done for real on a server that exists for the check (a throwaway k3sbox cluster): the
 * old release installed as {@code k3sbox install} installs it, then the new one applied over it the
 * same way (server-side apply, field manager {@code k3sbox}, Helm's order, hooks, pruning). What
 * the server refuses is what the real upgrade would meet; what it accepts is compared with the
 * object as it was, field by field. Done for real rather than as dry runs so that each object meets
 * the new versions of what it depends on, as in a real upgrade: custom resources of a CRD version
 * the new chart adds, objects in a namespace it adds.
 *
 * <p>Admission webhooks and aggregated APIs (APIService) of the old release are removed from the
 * server before the upgrade: the pods that would serve them never run without nodes, so every
 * request they match would fail for a reason that is not the chart's.
 */
public final class UpgradeCheck {
  private static final Set<String> SERVED_BY_PODS =
      Set.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService");

  private final ClusterConnection server;
  private final HelmListener listener;
  private final Duration timeout;

  public UpgradeCheck(ClusterConnection server, HelmListener listener, Duration timeout) {
    this.server = server;
    this.listener = listener;
    this.timeout = timeout;
  }

  /** Installs {@code oldObjects}, then upgrades to {@code newObjects}, and says what happened. */
  public UpgradeReport run(
      String chart,
      String fromChart,
      String release,
      String namespace,
      List<ManifestObject> oldObjects,
      List<ManifestObject> newObjects) {
    try {
      return upgrade(chart, fromChart, release, namespace, oldObjects, newObjects);
    } catch (KubernetesClientException e) {
      throw ClusterConnection.failure("checking the upgrade of release " + release, e);
    }
  }

  private UpgradeReport upgrade(
      String chart,
      String fromChart,
      String release,
      String namespace,
      List<ManifestObject> oldObjects,
      List<ManifestObject> newObjects) {
    Installer installer = new Installer(server, listener);
    InstallSpec spec = new InstallSpec(true, true, timeout, false);
    listener.step(
        "installing the old release (" + oldObjects.size() + " objects of " + fromChart + ")");
    InstallResult old = installer.install(release, namespace, oldObjects, spec);
    if (!old.succeeded()) {
      ApplyOutcome first = old.rejected().get(0);
      throw new HelmRunnerException(
          HelmRunnerException.Kind.RENDER,
          "the old chart "
              + fromChart
              + " does not install: the server rejected "
              + first.ref().display()
              + " ("
              + String.join("; ", first.errors())
              + "); `k3sbox validate "
              + fromChart
              + "` shows every rejection");
    }
    Map<ObjectRef, ManifestObject> incoming = byRef(newObjects, namespace);
    // What the upgrade may change: not the crds/ CRDs, which it leaves alone (and which are large).
    Set<ObjectRef> upgraded = new LinkedHashSet<>();
    incoming.forEach(
        (ref, object) -> {
          if (!object.fromCrdsFolder()) {
            upgraded.add(ref);
          }
        });
    Map<ObjectRef, Map<String, Object>> before = snapshot(upgraded);
    List<String> notes = removeServedByPods(old);

    listener.step(
        "upgrading to the new release (" + newObjects.size() + " objects of " + chart + ")");
    // As `helm upgrade`: a chart's crds/ files are created on install only, never upgraded.
    InstallResult upgrade =
        installer.install(
            release,
            namespace,
            newObjects.stream().filter(o -> !o.fromCrdsFolder()).toList(),
            spec);

    List<UpgradeEntry> entries = new ArrayList<>();
    Set<ObjectRef> rejected = new LinkedHashSet<>();
    for (ApplyOutcome r : upgrade.rejected()) {
      rejected.add(r.ref());
      entries.add(
          new UpgradeEntry(
              r.ref(), sourceOf(incoming, r.ref()), UpgradeVerdict.REJECTED, r.errors()));
    }
    Map<ObjectRef, Map<String, Object>> after = snapshot(upgraded);
    Map<ObjectRef, ManifestObject> previous = byRef(oldObjects, namespace);
    for (var e : incoming.entrySet()) {
      ObjectRef ref = e.getKey();
      if (rejected.contains(ref) || e.getValue().isHook() || e.getValue().isTest()) {
        continue;
      }
      Map<String, Object> was = before.get(ref);
      Map<String, Object> is = after.get(ref);
      if (e.getValue().fromCrdsFolder()) {
        entries.add(crdsFolderEntry(ref, e.getValue(), previous.get(ref)));
        continue;
      }
      if (was == null) {
        entries.add(new UpgradeEntry(ref, e.getValue().source(), UpgradeVerdict.ADDED, List.of()));
      } else if (is == null) {
        entries.add(
            new UpgradeEntry(
                ref,
                e.getValue().source(),
                UpgradeVerdict.DELETED,
                List.of("gone after the upgrade although the new chart has it")));
      } else {
        List<String> changed = ObjectDiff.changedFields(was, is == null ? Map.of() : is);
        entries.add(
            new UpgradeEntry(
                ref,
                e.getValue().source(),
                changed.isEmpty() ? UpgradeVerdict.UNCHANGED : UpgradeVerdict.CHANGED,
                changed));
      }
    }
    for (var e : previous.entrySet()) {
      if (!contains(incoming.keySet(), e.getKey())
          && !e.getValue().isHook()
          && !e.getValue().isTest()) {
        entries.add(
            new UpgradeEntry(
                e.getKey(),
                e.getValue().source(),
                UpgradeVerdict.DELETED,
                e.getValue().keptByHelm()
                    ? List.of("kept by Helm (crds/ or resource-policy keep)")
                    : List.of()));
      }
    }
    return new UpgradeReport(chart, fromChart, release, namespace, entries, notes);
  }

  /**
   * A CRD of the new chart's crds/ folder, which the upgrade leaves as it is: unchanged, and said
   * so where the new chart's definition differs from the installed one (or is not installed).
   */
  private static UpgradeEntry crdsFolderEntry(
      ObjectRef ref, ManifestObject incoming, ManifestObject installed) {
    List<String> details =
        installed != null && installed.resource().equals(incoming.resource())
            ? List.of()
            : List.of(
                (installed == null ? "not created" : "not updated")
                    + ": `helm upgrade` leaves a chart's crds/ files alone (Helm creates them on"
                    + " install only); apply this definition with kubectl before the upgrade");
    return new UpgradeEntry(ref, incoming.source(), UpgradeVerdict.UNCHANGED, details);
  }

  /**
   * The upgrade of a release that is really installed ({@code k3sbox install} put it there) to
   * {@code newObjects}, previewed on its own cluster by dry runs: nothing changes there. Each
   * object goes as a server-side apply dry run <em>without</em> force, so a field that another
   * manager took over since (a {@code kubectl edit}, a controller) comes back as a conflict, as the
   * real upgrade would meet it. An object the server refuses only because the namespace or CRD it
   * needs is new in this same upgrade is reported as added, not checked.
   */
  public UpgradeReport preview(
      String chart,
      String release,
      String namespace,
      List<ObjectRef> installed,
      List<ManifestObject> newObjects) {
    try {
      return previewOrFail(chart, release, namespace, installed, newObjects);
    } catch (KubernetesClientException e) {
      throw ClusterConnection.failure("previewing the upgrade of release " + release, e);
    }
  }

  private UpgradeReport previewOrFail(
      String chart,
      String release,
      String namespace,
      List<ObjectRef> installed,
      List<ManifestObject> newObjects) {
    ObjectApplier applier = new ObjectApplier(server);
    Map<ObjectRef, ManifestObject> incoming = byRef(newObjects, namespace);
    Set<String> newNamespaces = new LinkedHashSet<>();
    Set<String> newKinds = new LinkedHashSet<>();
    for (ManifestObject o : newObjects) {
      if (o.isNamespace()) {
        newNamespaces.add(o.name());
      } else if (o.isCrd()) {
        Object kind =
            o.resource().getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                    && spec.get("names") instanceof Map<?, ?> names
                ? names.get("kind")
                : null;
        newKinds.add(String.valueOf(kind));
      }
    }
    listener.step(
        "previewing the upgrade of release "
            + release
            + " ("
            + newObjects.size()
            + " objects, dry runs)");
    List<UpgradeEntry> entries = new ArrayList<>();
    for (var e : incoming.entrySet()) {
      ManifestObject object = e.getValue();
      if (object.isHook() || object.isTest()) {
        continue;
      }
      ObjectRef ref = e.getKey();
      Map<String, Object> live = snapshot(Set.of(ref)).get(ref);
      ObjectApplier.Preview preview = applier.preview(object, namespace);
      if (!preview.outcome().accepted()) {
        String error = String.join("; ", preview.outcome().errors());
        boolean needsNew =
            (ref.namespace() != null
                    && newNamespaces.contains(ref.namespace())
                    && error.contains("not found"))
                || (newKinds.contains(ref.kind()) && error.contains("no matches for kind"));
        entries.add(
            needsNew
                ? new UpgradeEntry(
                    ref,
                    object.source(),
                    UpgradeVerdict.ADDED,
                    List.of("not checked: the namespace or CRD it needs is new in this upgrade"))
                : new UpgradeEntry(
                    ref, object.source(), UpgradeVerdict.REJECTED, preview.outcome().errors()));
      } else if (live == null) {
        entries.add(new UpgradeEntry(ref, object.source(), UpgradeVerdict.ADDED, List.of()));
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> after =
            server.client().getKubernetesSerialization().unmarshal(preview.object(), Map.class);
        List<String> changed = ObjectDiff.changedFields(live, after);
        entries.add(
            new UpgradeEntry(
                ref,
                object.source(),
                changed.isEmpty() ? UpgradeVerdict.UNCHANGED : UpgradeVerdict.CHANGED,
                changed));
      }
    }
    for (ObjectRef ref : installed) {
      if (!contains(incoming.keySet(), ref)) {
        entries.add(new UpgradeEntry(ref, null, UpgradeVerdict.DELETED, List.of()));
      }
    }
    return new UpgradeReport(
        chart,
        "release " + release,
        release,
        namespace,
        entries,
        List.of("previewed on the release's own cluster with dry runs: nothing was changed there"));
  }

  /** Whether {@code refs} names {@code ref}'s object, in any version of its group. */
  private static boolean contains(Set<ObjectRef> refs, ObjectRef ref) {
    return refs.stream().anyMatch(ref::sameObject);
  }

  private Map<ObjectRef, ManifestObject> byRef(List<ManifestObject> objects, String namespace) {
    ObjectApplier applier = new ObjectApplier(server);
    Map<ObjectRef, ManifestObject> refs = new LinkedHashMap<>();
    for (ManifestObject o : objects) {
      refs.put(applier.refOf(o, namespace).orElse(ObjectRef.of(o, namespace)), o);
    }
    return refs;
  }

  private static String sourceOf(Map<ObjectRef, ManifestObject> objects, ObjectRef ref) {
    ManifestObject o = objects.get(ref);
    return o == null ? null : o.source();
  }

  /** The objects at {@code refs} as the server has them now, 16 requests at a time. */
  private Map<ObjectRef, Map<String, Object>> snapshot(Set<ObjectRef> refs) {
    List<ObjectRef> order = new ArrayList<>(refs);
    List<Optional<GenericKubernetesResource>> live =
        InParallel.map(
            order,
            16,
            ref -> server.resource(ref).map(r -> r.get()),
            "reading the release's objects");
    Map<ObjectRef, Map<String, Object>> objects = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      ObjectRef ref = order.get(i);
      live.get(i)
          .ifPresent(
              o ->
                  objects.put(
                      ref,
                      server.client().getKubernetesSerialization().convertValue(o, Map.class)));
    }
    return objects;
  }

  /** Removes the old release's webhooks and aggregated APIs, and says which. */
  private List<String> removeServedByPods(InstallResult old) {
    List<String> removed = new ArrayList<>();
    for (ApplyOutcome a : old.applied()) {
      if (SERVED_BY_PODS.contains(a.ref().kind())) {
        server.resource(a.ref()).ifPresent(r -> r.delete());
        removed.add(a.ref().display());
      }
    }
    if (removed.isEmpty()) {
      return List.of();
    }
    return List.of(
        "removed from the throwaway server before the upgrade, since no pod serves them there: "
            + String.join(", ", removed));
  }
}
