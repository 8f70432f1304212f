package dev.k3sbox.core.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code go build} of k3s's {@code cmd/server}, made as k3s's own {@code scripts/build} makes a
 * static Linux release ({@code STATIC_BUILD=true}), for what a server needs:
 *
 * <ul>
 *   <li>{@code pkg/version.UpstreamGolang}: k3s's first act is {@code cmds.MustValidateGolang()},
 *       fatal unless it equals the Go that built the binary ({@code runtime.Version()}). Set to
 *       this toolchain's version, as nixpkgs and Yocto build k3s; upstream pins the Go of
 *       Kubernetes's {@code build/dependencies.yaml}, which may differ from the Go here.
 *   <li>The version of client-go and component-base, or the server reports {@code v0.0.0-master}
 *       and charts' {@code kubeVersion} checks fail.
 *   <li>A static binary ({@code static_build libsqlite3} and {@code -extldflags '-static ...'}):
 *       the image is {@code FROM scratch}, with no C library to load.
 * </ul>
 *
 * The time zone database the release image copies beside the binary is added by {@link
 * RootFilesystem#K3S_HOST_FILES}.
 *
 * @param version the k3s version, e.g. {@code v1.33.10+k3s1}
 * @param commit the commit, as far as the module version tells it ({@code HEAD} for a tag)
 * @param goVersion the toolchain's {@code go env GOVERSION}, e.g. {@code go1.25.3}
 */
record K3sSourceBuild(String version, String commit, String goVersion) {
  static final String MODULE = "github.com/k3s-io/k3s";

  /** scripts/build's TAGS for Linux with STATIC_BUILD=true, in its order. */
  static final String TAGS =
      "static_build libsqlite3 ctrd netcgo osusergo providerless urfave_cli_no_docs"
          + " sqlite_omit_load_extension apparmor seccomp";

  /** scripts/build's STATIC for Linux. */
  static final String STATIC_LINKING = "-extldflags '-static -lm -ldl -lz -lpthread'";

  /**
   * The static C libraries that link needs, by the Debian package that has them (SQLite for kine,
   * libseccomp for the seccomp tag, zlib for -lz, the C library's own archives).
   */
  static final Map<String, String> STATIC_LIBRARIES =
      Map.of(
          "libsqlite3.a", "libsqlite3-dev",
          "libseccomp.a", "libseccomp-dev",
          "libz.a", "zlib1g-dev",
          "libc.a", "libc6-dev");

  private static final Pattern KUBERNETES_FORK =
      Pattern.compile("k8s\\.io/kubernetes\\s*=>\\s*\\S+\\s+(v\\d+\\.\\d+\\.\\d+)-(k3s\\d+)");
  private static final Pattern PSEUDO_VERSION =
      Pattern.compile("-(?:\\d+\\.)?\\d{14}-([0-9a-f]{12})$");

  /**
   * The build of module version {@code moduleVersion} (a tag like {@code v1.33.5+k3s1}, or a
   * pseudo-version of a commit), whose {@code go.mod} is {@code goMod}, with Go {@code goVersion}.
   * A pseudo-version's k3s version comes from the Kubernetes fork its go.mod replaces
   * k8s.io/kubernetes with ({@code github.com/k3s-io/kubernetes v1.33.10-k3s1}), as upstream's
   * scripts/version.sh derives it.
   */
  static K3sSourceBuild of(String moduleVersion, String goMod, String goVersion) {
    Matcher pseudo = PSEUDO_VERSION.matcher(moduleVersion);
    if (!pseudo.find()) {
      return new K3sSourceBuild(moduleVersion, "HEAD", goVersion);
    }
    Matcher fork = KUBERNETES_FORK.matcher(goMod);
    String version = fork.find() ? fork.group(1) + "+" + fork.group(2) : moduleVersion;
    return new K3sSourceBuild(version, pseudo.group(1), goVersion);
  }

  /** The environment of the build, besides the toolchain's own. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CGO_ENABLED", "1");
    env.put("CGO_CFLAGS", "-DSQLITE_ENABLE_DBSTAT_VTAB=1 -DSQLITE_USE_ALLOCA=1");
    env.put("GOFLAGS", "-mod=mod");
    return env;
  }

  /** The arguments of {@code go}, building into {@code output}. */
  List<String> goArguments(String output) {
    return List.of(
        "build",
        "-v",
        "-tags",
        TAGS,
        "-buildvcs=false",
        "-ldflags",
        ldflags(),
        "-o",
        output,
        "./cmd/server");
  }

  /** scripts/build's VERSIONFLAGS for k3s, client-go and component-base, then LDFLAGS, STATIC. */
  String ldflags() {
    List<String> flags = new ArrayList<>();
    String pkg = MODULE + "/pkg/version";
    flags.add("-X " + pkg + ".Version=" + version);
    flags.add("-X " + pkg + ".GitCommit=" + commit.substring(0, Math.min(8, commit.length())));
    flags.add("-X " + pkg + ".UpstreamGolang=" + goVersion);
    for (String k8s : List.of("k8s.io/client-go/pkg/version", "k8s.io/component-base/version")) {
      flags.add("-X " + k8s + ".gitVersion=" + version);
      flags.add("-X " + k8s + ".gitCommit=" + commit);
      flags.add("-X " + k8s + ".gitTreeState=clean");
      // Reproducible: the same sources give the same binary, and the image is reused.
      flags.add("-X " + k8s + ".buildDate=1970-01-01T00:00:00Z");
    }
    flags.add("-w -s");
    flags.add(STATIC_LINKING);
    return String.join(" ", flags);
  }
}
