package dev.k3sbox.helm.render;

import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.NativeLibrary;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarEntry;

/**
 * helm-java's native Helm, extracted once instead of on every start.
 *
 * <p>helm-java copies its 98 MB shared library out of its jar into a new temporary folder each time
 * a JVM first uses Helm: about half a second of every cold {@code validate}. This provider, found
 * by helm-java's {@link ServiceLoader} before the platform's own when its jar comes first on the
 * class path, keeps one copy in the folder named by the system property {@value #CACHE_PROPERTY}
 * (the CLI sets {@code ~/.k3sbox/cache}), named by the jar entry's CRC and size so that another
 * helm-java version gets its own file. Without the property, or if anything about the cache fails,
 * it does exactly what the platform's provider does.
 */
public final class CachedHelmLibrary implements NativeLibrary {
  public static final String CACHE_PROPERTY = "k3sbox.helm.cache";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      Set.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private final NativeLibrary platform;

  public CachedHelmLibrary() {
    // Filter by type before instantiating: loading this class again would recurse.
    this.platform =
        ServiceLoader.load(NativeLibrary.class, CachedHelmLibrary.class.getClassLoader()).stream()
            .filter(p -> p.type() != CachedHelmLibrary.class)
            .findFirst()
            .map(ServiceLoader.Provider::get)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "helm-java has no native library for this platform ("
                            + System.getProperty("os.name")
                            + "/"
                            + System.getProperty("os.arch")
                            + ")"));
  }

  @Override
  public String getBinaryName() {
    return platform.getBinaryName();
  }

  @Override
  public HelmLib load() {
    Optional<Path> cached = cachedCopy();
    if (cached.isEmpty()) {
      return platform.load();
    }
    HelmLib helm;
    try {
      helm = Native.load(cached.get().toString(), HelmLib.class);
    } catch (UnsatisfiedLinkError e) {
      return platform.load();
    }
    // What helm-java's own load does: stop chart-repository servers it may have started.
    Runtime.getRuntime().addShutdownHook(new Thread(helm::RepoServerStopAll, "helm-shutdown"));
    return helm;
  }

  /** The library in the cache, copied there first if missing; empty when there is no cache. */
  Optional<Path> cachedCopy() {
    String dir = System.getProperty(CACHE_PROPERTY);
    URL resource = platform.getClass().getResource("/" + getBinaryName());
    if (dir == null || dir.isBlank() || resource == null) {
      return Optional.empty();
    }
    try {
      URLConnection connection = resource.openConnection();
      if (!(connection instanceof JarURLConnection jar)) {
        return Optional.empty();
      }
      JarEntry entry = jar.getJarEntry();
      Path folder = Files.createDirectories(Path.of(dir));
      Path target =
          folder.resolve(
              String.format("helm-%08x-%d-%s", entry.getCrc(), entry.getSize(), getBinaryName()));
      if (Files.isRegularFile(target) && Files.size(target) == entry.getSize()) {
        return Optional.of(target);
      }
      // Copy beside it and move into place, so a concurrent start never loads half a file.
      Path partial = Files.createTempFile(folder, "helm-", ".partial");
      try (InputStream in = jar.getInputStream()) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(partial, OWNER_ONLY);
        try {
          Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(partial);
      }
      return Files.size(target) == entry.getSize() ? Optional.of(target) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
