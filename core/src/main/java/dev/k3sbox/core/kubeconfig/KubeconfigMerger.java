package dev.k3sbox.core.kubeconfig;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.state.UserHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Adds or removes the cluster, user and context k3sbox owns in a user's kubeconfig, as kubectl
 * would, while keeping every other byte of the file: it picks the file of the {@code $KUBECONFIG}
 * chain as client-go does; {@link KubeconfigTextMerge} edits the text and {@link KubeconfigFile}
 * replaces the file. A file k3sbox cannot edit safely is left as it was and reported.
 */
public final class KubeconfigMerger {
  private final List<Path> chain;

  /** The files named by {@code $KUBECONFIG}, else {@code ~/.kube/config}. */
  public static KubeconfigMerger fromEnvironment() {
    String env = System.getenv("KUBECONFIG");
    List<Path> chain =
        env == null
            ? List.of()
            : Arrays.stream(env.split(":")).filter(s -> !s.isBlank()).map(Path::of).toList();
    // An empty chain (unset, "" or ":") means the default file, as it does to client-go.
    return new KubeconfigMerger(
        chain.isEmpty() ? List.of(UserHome.get().resolve(".kube").resolve("config")) : chain);
  }

  public KubeconfigMerger(List<Path> chain) {
    this.chain = List.copyOf(chain);
  }

  /**
   * The file new entries go to, chosen as client-go does: the first file of the chain that exists,
   * else the last one.
   */
  public Path destination() {
    return chain.stream().filter(Files::exists).findFirst().orElse(chain.get(chain.size() - 1));
  }

  /** Adds (or replaces) entries named {@code name} and makes that context current. */
  public Path upsert(String name, Kubeconfig kubeconfig) {
    Path file = KubeconfigFile.resolve(destination());
    KubeconfigFile.edit(file, text -> KubeconfigTextMerge.upsert(text, name, kubeconfig));
    return file;
  }

  /**
   * Fails as {@link #upsert} would when the destination cannot be edited (it does not parse, or has
   * a form k3sbox does not edit), so {@code up} can refuse before it creates anything. Writes
   * nothing.
   */
  public void checkEditable(String name) {
    Path file = KubeconfigFile.resolve(destination());
    if (!Files.exists(file)) {
      return;
    }
    try {
      // Whether the file can be edited depends on its form alone, so stand-in credentials do.
      KubeconfigTextMerge.upsert(
          Files.readString(file, StandardCharsets.UTF_8),
          name,
          new Kubeconfig("https://127.0.0.1:1", "CA", "CERT", "KEY", null));
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.KUBECONFIG,
          "cannot read kubeconfig " + file + ": " + e.getMessage() + "; pass --no-merge to skip it",
          e);
    }
  }

  /** Removes entries named {@code name} from every file of the chain that has them. */
  public void remove(String name) {
    for (Path p : chain) {
      if (Files.isRegularFile(p)) {
        KubeconfigFile.edit(
            KubeconfigFile.resolve(p), text -> KubeconfigTextMerge.remove(text, name));
      }
    }
  }
}
