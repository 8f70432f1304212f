package dev.k3sbox.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The from-source build against k3s's own {@code scripts/build} (k3s-io/k3s at 015c032b, read for
 * this test): its Linux static TAGS, the STATIC link flags, the k3s, client-go and component-base
 * version variables, CGO with SQLite's flags; plus {@code pkg/version.UpstreamGolang}, which {@code
 * cmds.MustValidateGolang()} checks against the Go that built the binary (set by nixpkgs' and
 * Yocto's builds of k3s; without it the server exits at start).
 */
class K3sSourceBuildTest {
  private static final String GO_MOD =
      """
      module github.com/k3s-io/k3s

      go 1.24.11

      replace (
      \tk8s.io/api => github.com/k3s-io/kubernetes/staging/src/k8s.io/api v1.33.10-k3s1
      \tk8s.io/kubernetes => github.com/k3s-io/kubernetes v1.33.10-k3s1
      )
      """;

  private final K3sSourceBuild build =
      K3sSourceBuild.of("v1.33.10-0.20260316230806-13a8403081db", GO_MOD, "go1.25.3");

  @Test
  void shouldTakeTheK3sVersionOfACommitFromItsKubernetesFork() {
    assertThat(build.version()).isEqualTo("v1.33.10+k3s1");
    assertThat(build.commit()).isEqualTo("13a8403081db");
    assertThat(K3sSourceBuild.of("v1.33.5+k3s1", GO_MOD, "go1.25.3").version())
        .isEqualTo("v1.33.5+k3s1");
  }

  @Test
  void shouldBuildWithTheTagsAndStaticLinkingOfScriptsBuild() {
    List<String> args = build.goArguments("/out/k3s");

    assertThat(args).startsWith("build").endsWith("-o", "/out/k3s", "./cmd/server");
    assertThat(args.get(args.indexOf("-tags") + 1).split(" "))
        .containsExactly(
            "static_build",
            "libsqlite3",
            "ctrd",
            "netcgo",
            "osusergo",
            "providerless",
            "urfave_cli_no_docs",
            "sqlite_omit_load_extension",
            "apparmor",
            "seccomp");
    assertThat(args).contains("-buildvcs=false");
    assertThat(build.ldflags()).endsWith("-w -s -extldflags '-static -lm -ldl -lz -lpthread'");
    assertThat(build.environment())
        .containsEntry("CGO_ENABLED", "1")
        .containsEntry("CGO_CFLAGS", "-DSQLITE_ENABLE_DBSTAT_VTAB=1 -DSQLITE_USE_ALLOCA=1");
  }

  @Test
  void shouldSetEveryVersionTheServerReports() {
    String ldflags = build.goArguments("k3s").get(build.goArguments("k3s").indexOf("-ldflags") + 1);

    assertThat(ldflags)
        .contains("-X github.com/k3s-io/k3s/pkg/version.Version=v1.33.10+k3s1")
        .contains("-X github.com/k3s-io/k3s/pkg/version.GitCommit=13a84030 ")
        .contains("-X github.com/k3s-io/k3s/pkg/version.UpstreamGolang=go1.25.3");
    for (String pkg : List.of("k8s.io/client-go/pkg/version", "k8s.io/component-base/version")) {
      assertThat(ldflags)
          .contains("-X " + pkg + ".gitVersion=v1.33.10+k3s1")
          .contains("-X " + pkg + ".gitCommit=13a8403081db")
          .contains("-X " + pkg + ".gitTreeState=clean")
          .contains("-X " + pkg + ".buildDate=");
    }
  }
}
