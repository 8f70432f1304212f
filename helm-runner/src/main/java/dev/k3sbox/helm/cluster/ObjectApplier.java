package dev.k3sbox.helm.cluster;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.parse.ManifestObject;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Sends one object by server-side apply with field manager {@code k3sbox}, as a dry run ({@code
 * dryRun=All}) or for real. Validation and install share it, so a chart that validates is exactly a
 * chart that installs. Unknown fields are errors either way: server-side apply refuses any field
 * its schema lacks ({@code .spec.foo: field not declared in schema}), for built-in kinds and custom
 * resources alike.
 *
 * <p>The request goes through fabric8's HTTP client (its authentication, TLS, proxies and retries)
 * but not through its typed DSL: the DSL copies the object, decodes the returned object and drops
 * the {@code Warning} headers, which doubled the client's CPU per object on a 500-object chart
 * ({@code scripts/bench-validate}). Here the body is the object's JSON, and the answer is read for
 * its status code, its {@code Status} message and its warnings only.
 */
public final class ObjectApplier {
  public static final String FIELD_MANAGER = "k3sbox";
  private static final String APPLY_PATCH = "application/apply-patch+yaml";

  /** An answer's object as its metadata only, as {@code kubectl get -o name} asks for it. */
  public static final String METADATA_ONLY =
      "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

  /**
   * {@code fieldValidation=Ignore}: for an apply, {@code Strict} (and {@code Warn}, the default)
   * adds one thing, a second, strict YAML parse of the body that only finds keys given twice
   * (apiserver's {@code applyPatcher}). The body here is JSON written from a map, which cannot have
   * them (those of the chart's text are found by the parser: {@code DuplicateKeys}); that parse was
   * a tenth of the API server's CPU per validation (pprof, kube-prometheus-stack).
   */
  private static final String QUERY = "fieldManager=" + FIELD_MANAGER + "&fieldValidation=Ignore";

  private final ClusterConnection connection;

  public ObjectApplier(ClusterConnection connection) {
    this.connection = connection;
  }

  /** The namespace the object goes to: its own, else the release's; none when cluster-scoped. */
  public Optional<ObjectRef> refOf(ManifestObject object, String releaseNamespace) {
    return connection
        .resourceType(object.apiVersion(), object.kind())
        .map(type -> ref(type, object, releaseNamespace));
  }

  public ApplyOutcome apply(ManifestObject object, String releaseNamespace, boolean dryRun) {
    return send(object, releaseNamespace, dryRun, true, false).outcome();
  }

  /**
   * What an apply would do, and to what: a dry run, <em>without</em> force, so that fields another
   * field manager owns come back as conflicts, as {@code helm upgrade} with server-side apply and
   * {@code kubectl apply --server-side} report them.
   *
   * @param outcome the server's verdict
   * @param object the object as the server would store it (its answer), or null when refused
   */
  public record Preview(ApplyOutcome outcome, String object) {}

  /** A dry-run apply without force (see {@link Preview}). */
  public Preview preview(ManifestObject object, String releaseNamespace) {
    return send(object, releaseNamespace, true, false, true);
  }

  /**
   * @param wantObject whether the answer's object is needed; when not, the server is asked for its
   *     metadata only (a CRD comes back as a few hundred bytes instead of up to a megabyte, which
   *     over TLS cost more than the request itself). Refusals and warnings come back the same.
   */
  private Preview send(
      ManifestObject object,
      String releaseNamespace,
      boolean dryRun,
      boolean force,
      boolean wantObject) {
    Optional<ResourceType> type = connection.resourceType(object.apiVersion(), object.kind());
    if (type.isEmpty()) {
      // What kubectl says for the same object; the server has no endpoint to answer with.
      return new Preview(
          rejected(
              ObjectRef.of(object, object.namespace()),
              "no matches for kind \""
                  + object.kind()
                  + "\" in version \""
                  + object.apiVersion()
                  + "\": the API server does not serve it (removed in this Kubernetes version,"
                  + " or its CRD is not installed)"),
          null);
    }
    ObjectRef ref = ref(type.get(), object, releaseNamespace);
    if (object.name() == null || object.name().isBlank()) {
      return new Preview(
          rejected(ref, "metadata.name is missing; server-side apply needs a name"), null);
    }
    String url =
        connection.apiUrl(ClusterConnection.path(type.get(), ref.namespace(), ref.name()))
            + "?"
            + (dryRun ? "dryRun=All&" : "")
            + (force ? "force=true&" : "")
            + QUERY;
    String body = connection.client().getKubernetesSerialization().asJson(object.resource());
    HttpRequest request =
        connection
            .http()
            .newHttpRequestBuilder()
            .uri(url)
            .header("Accept", wantObject ? "application/json" : METADATA_ONLY)
            .method("PATCH", APPLY_PATCH, body)
            .build();
    HttpResponse<byte[]> response = send(request, ref);
    List<String> warnings = WarningHeaders.texts(response.headers("Warning"));
    if (response.isSuccessful()) {
      return new Preview(
          new ApplyOutcome(ref, List.of(), warnings),
          new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    Status status = statusOf(response);
    if (response.code() == 401) {
      // Not about this object: every later request would fail the same way.
      throw ClusterConnection.failure(
          "applying " + ref.display(),
          new KubernetesClientException(status.getMessage(), 401, status));
    }
    return new Preview(new ApplyOutcome(ref, List.of(status.getMessage()), warnings), null);
  }

  /**
   * A dry-run create, as Helm 3 installs (a POST, not server-side apply): for objects that
   * server-side apply refuses for duplicate list entries (two env vars or ports of one name), which
   * a create accepts, keeping the last. Empty when the object exists already (a create cannot tell
   * then) or its kind is not served.
   */
  public Optional<ApplyOutcome> createDryRun(ManifestObject object, String releaseNamespace) {
    Optional<ResourceType> type = connection.resourceType(object.apiVersion(), object.kind());
    if (type.isEmpty()) {
      return Optional.empty();
    }
    ObjectRef ref = ref(type.get(), object, releaseNamespace);
    String item = ClusterConnection.path(type.get(), ref.namespace(), ref.name());
    // Strict here: a create decodes its body as JSON and, unless strict, drops unknown fields.
    String url =
        connection.apiUrl(item.substring(0, item.lastIndexOf('/')))
            + "?dryRun=All&fieldManager="
            + FIELD_MANAGER
            + "&fieldValidation=Strict";
    String body = connection.client().getKubernetesSerialization().asJson(object.resource());
    HttpRequest request =
        connection.http().newHttpRequestBuilder().uri(url).post("application/json", body).build();
    HttpResponse<byte[]> response = send(request, ref);
    if (response.code() == 409) {
      return Optional.empty();
    }
    List<String> warnings = WarningHeaders.texts(response.headers("Warning"));
    return Optional.of(
        response.isSuccessful()
            ? new ApplyOutcome(ref, List.of(), warnings)
            : new ApplyOutcome(ref, List.of(statusOf(response).getMessage()), warnings));
  }

  /** The API server's own words for a rejection, not fabric8's wrapper text. */
  public static String messageOf(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      return status.getMessage();
    }
    String message = String.valueOf(e.getMessage());
    return message.lines().findFirst().orElse(message);
  }

  /** Answers that another try may change: a busy or restarting API server, or a proxy's. */
  private static final java.util.Set<Integer> TRANSIENT = java.util.Set.of(429, 502, 503, 504);

  private static final int TRIES = 4;

  /**
   * Sends with up to three more tries, 0.2, 0.4 and 0.8 s apart (or as Retry-After asks), for
   * {@link #TRANSIENT} answers only. A 500 is an answer: server-side apply's type errors ({@code
   * data: {port: 8080}}) come as 500 and are the same each time; fabric8 would try them three more
   * times, +1.4 s an object.
   */
  private HttpResponse<byte[]> send(HttpRequest request, ObjectRef ref) {
    HttpResponse<byte[]> response = sendOnce(request, ref);
    long pause = 200;
    for (int tried = 1; tried < TRIES && TRANSIENT.contains(response.code()); tried++) {
      sleep(retryAfter(response).orElse(pause), ref);
      pause *= 2;
      response = sendOnce(request, ref);
    }
    return response;
  }

  private static java.util.Optional<Long> retryAfter(HttpResponse<byte[]> response) {
    try {
      return java.util.Optional.ofNullable(response.header("Retry-After"))
          .map(s -> Long.parseLong(s.strip()) * 1000);
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private static void sleep(long millis, ObjectRef ref) {
    try {
      Thread.sleep(Math.min(millis, 10_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HelmRunnerException(Kind.CLUSTER, "interrupted while applying " + ref.display(), e);
    }
  }

  private HttpResponse<byte[]> sendOnce(HttpRequest request, ObjectRef ref) {
    try {
      return connection.httpWithoutRetries().sendAsync(request, byte[].class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HelmRunnerException(Kind.CLUSTER, "interrupted while applying " + ref.display(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new HelmRunnerException(
          Kind.CLUSTER,
          "the cluster stopped answering while applying "
              + ref.display()
              + " ("
              + cause
              + "); check that it is up and run again",
          cause);
    }
  }

  /** The {@code Status} the server sends with a refusal; one made up from the body if not. */
  private Status statusOf(HttpResponse<byte[]> response) {
    String body =
        response.body() == null ? "" : new String(response.body(), StandardCharsets.UTF_8);
    try {
      Status status =
          connection.client().getKubernetesSerialization().unmarshal(body, Status.class);
      if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
        return status;
      }
    } catch (RuntimeException e) {
      // Not a Status (a proxy's HTML page, say): fall through to the raw answer.
    }
    Status status = new Status();
    status.setCode(response.code());
    String firstLine = body.lines().findFirst().orElse("").strip();
    status.setMessage("HTTP " + response.code() + (firstLine.isEmpty() ? "" : ": " + firstLine));
    return status;
  }

  private static ObjectRef ref(ResourceType type, ManifestObject object, String releaseNs) {
    String namespace =
        type.namespaced() ? (object.namespace() != null ? object.namespace() : releaseNs) : null;
    return ObjectRef.of(object, namespace);
  }

  private static ApplyOutcome rejected(ObjectRef ref, String message) {
    return new ApplyOutcome(ref, List.of(message), List.of());
  }
}
