package dev.k3sbox.helm.install;

import dev.k3sbox.helm.HelmListener;
import dev.k3sbox.helm.cluster.ApplyOutcome;
import dev.k3sbox.helm.cluster.ClusterConnection;
import dev.k3sbox.helm.cluster.Deletion;
import dev.k3sbox.helm.cluster.ObjectApplier;
import dev.k3sbox.helm.cluster.ObjectRef;
import dev.k3sbox.helm.parse.ManifestObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A release's hooks, run as Helm runs them around an install or upgrade: for each phase ({@code
 * pre}, {@code post}) the hooks of that event, lowest {@code helm.sh/hook-weight} first, then by
 * kind and name; an existing hook object deleted first ({@code before-hook-creation}, Helm's
 * default); Jobs and Pods waited for until they end, and deleted after as their policy says. Test
 * hooks never run at install ({@code helm test} runs them).
 *
 * <p>A control-plane-only cluster has no nodes: a hook Job or Pod there never runs. That is said
 * once, and nothing waits for it: its object is created, as Helm would, and left for the user.
 */
final class Hooks {
  private final ClusterConnection connection;
  private final ObjectApplier applier;
  private final HelmListener listener;
  private final List<ManifestObject> hooks;
  private final String operation;
  private final String namespace;
  private final Duration timeout;
  private final List<String> notes = new ArrayList<>();
  private Boolean noNodes;

  Hooks(
      ClusterConnection connection,
      ObjectApplier applier,
      HelmListener listener,
      List<ManifestObject> hooks,
      String operation,
      String namespace,
      Duration timeout) {
    this.connection = connection;
    this.applier = applier;
    this.listener = listener;
    this.hooks = hooks;
    this.operation = operation;
    this.namespace = namespace;
    this.timeout = timeout;
  }

  /** Runs the {@code phase}-{@code operation} hooks; returns the rejected ones. */
  List<ApplyOutcome> run(String phase) {
    String event = phase + "-" + operation;
    List<ManifestObject> due =
        new ArrayList<>(hooks.stream().filter(h -> h.hookEvents().contains(event)).toList());
    if (due.isEmpty()) {
      return List.of();
    }
    due.sort(
        Comparator.comparingInt(ManifestObject::hookWeight)
            .thenComparing(ManifestObject::kind)
            .thenComparing(h -> String.valueOf(h.name())));
    listener.step("running " + due.size() + " " + event + " hooks");
    List<ApplyOutcome> rejected = new ArrayList<>();
    for (ManifestObject hook : due) {
      Optional<ObjectRef> ref = applier.refOf(hook, namespace);
      if (ref.isPresent() && hook.hookDeletePolicies().contains("before-hook-creation")) {
        Deletion.deleteAll(connection, List.of(ref.get()), timeout, listener);
      }
      ApplyOutcome outcome = applier.apply(hook, namespace, false);
      if (!outcome.accepted()) {
        rejected.add(outcome);
        break; // Helm stops at the first failed hook
      }
      if (runsPods(hook)) {
        if (noNodes()) {
          notes.add(
              outcome.ref().display()
                  + ": "
                  + event
                  + " hook not waited for; this cluster has no nodes (control plane only), so"
                  + " it never runs");
        } else {
          String end = HookWait.await(connection, outcome.ref(), timeout);
          notes.add(outcome.ref().display() + ": " + event + " hook " + end);
          boolean delete =
              ("succeeded".equals(end) && hook.hookDeletePolicies().contains("hook-succeeded"))
                  || ("failed".equals(end) && hook.hookDeletePolicies().contains("hook-failed"));
          if (delete) {
            Deletion.deleteAll(connection, List.of(outcome.ref()), timeout, listener);
          }
        }
      } else if (hook.hookDeletePolicies().contains("hook-succeeded")) {
        // Nothing to run: applied is succeeded, as Helm counts it.
        Deletion.deleteAll(connection, List.of(outcome.ref()), timeout, listener);
      }
    }
    return rejected;
  }

  List<String> notes() {
    return notes;
  }

  private static boolean runsPods(ManifestObject hook) {
    return ("Job".equals(hook.kind()) && "batch".equals(hook.group()))
        || ("Pod".equals(hook.kind()) && "v1".equals(hook.apiVersion()));
  }

  private boolean noNodes() {
    if (noNodes == null) {
      noNodes = connection.client().nodes().list().getItems().isEmpty();
      if (noNodes) {
        listener.warn(
            "this cluster has no nodes: hook Jobs and Pods are created but never run, and"
                + " nothing waits for them");
      }
    }
    return noNodes;
  }
}
