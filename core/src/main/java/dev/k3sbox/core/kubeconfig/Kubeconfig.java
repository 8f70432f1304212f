package dev.k3sbox.core.kubeconfig;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The current context of a kubeconfig, reduced to what k3sbox needs to talk to the API server: its
 * URL, the CA to trust, and the client certificate (or token) to present.
 */
public record Kubeconfig(
    String server, String caPem, String clientCertPem, String clientKeyPem, String token) {

  public static Kubeconfig parse(String yaml, String origin) {
    Map<?, ?> root;
    try {
      Object loaded = new Load(LoadSettings.builder().build()).loadFromString(yaml);
      if (!(loaded instanceof Map<?, ?> map)) {
        throw invalid(origin, "it is not a YAML mapping");
      }
      root = map;
    } catch (YamlEngineException e) {
      throw invalid(origin, e.getMessage().lines().findFirst().orElse("not YAML"));
    }
    String contextName = string(root.get("current-context"));
    Map<?, ?> context =
        named(root, "contexts", contextName, origin).get("context") instanceof Map<?, ?> m
            ? m
            : Map.of();
    Map<?, ?> cluster =
        section(named(root, "clusters", string(context.get("cluster")), origin), "cluster");
    Map<?, ?> user = section(named(root, "users", string(context.get("user")), origin), "user");
    String server = string(cluster.get("server"));
    if (server == null) {
      throw invalid(origin, "its current context has no server");
    }
    return new Kubeconfig(
        server,
        decoded(cluster.get("certificate-authority-data")),
        decoded(user.get("client-certificate-data")),
        decoded(user.get("client-key-data")),
        string(user.get("token")));
  }

  /** The same credentials for a server reachable at another URL. */
  public Kubeconfig withServer(String newServer) {
    return new Kubeconfig(newServer, caPem, clientCertPem, clientKeyPem, token);
  }

  /** A self-contained kubeconfig whose cluster, user and context are all named {@code name}. */
  public String toYaml(String name) {
    StringBuilder b = new StringBuilder();
    b.append("apiVersion: v1\nkind: Config\n");
    b.append(KubeconfigEntries.render(name, this));
    b.append("current-context: ").append(name).append('\n');
    b.append("preferences: {}\n");
    return b.toString();
  }

  static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<?, ?> named(Map<?, ?> root, String list, String name, String origin) {
    if (root.get(list) instanceof List<?> entries) {
      for (Object e : entries) {
        if (e instanceof Map<?, ?> m && Objects.equals(string(m.get("name")), name)) {
          return m;
        }
      }
    }
    throw invalid(
        origin, "it has no " + list.substring(0, list.length() - 1) + " named '" + name + "'");
  }

  private static Map<?, ?> section(Map<?, ?> entry, String key) {
    return entry.get(key) instanceof Map<?, ?> m ? m : Map.of();
  }

  private static String decoded(Object base64) {
    String s = string(base64);
    return s == null ? null : new String(Base64.getMimeDecoder().decode(s), StandardCharsets.UTF_8);
  }

  private static String string(Object o) {
    return o == null ? null : o.toString();
  }

  private static K3sboxException invalid(String origin, String why) {
    return new K3sboxException(
        Failure.KUBECONFIG,
        "kubeconfig " + origin + " is not usable: " + why + "; fix or remove it, then try again");
  }
}
