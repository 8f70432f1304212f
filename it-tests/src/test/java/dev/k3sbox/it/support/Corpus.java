package dev.k3sbox.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real-world chart corpus of {@code shared/charts} (its README): eight public charts with their
 * dependencies vendored, and for each the objects the Helm CLI renders. Unpacked once per test
 * class into a folder of the test's.
 */
public final class Corpus {
  /** One row of {@code realworld-expected/<chart>.objects.tsv}. */
  public record Expected(
      String apiVersion, String kind, String namespace, String name, String hook) {}

  private final Path charts;
  private final Path expected;

  private Corpus(Path charts, Path expected) {
    this.charts = charts;
    this.expected = expected;
  }

  /** Unpacks {@code realworld.tar.xz} into {@code dir}. */
  public static Corpus unpack(Path dir) throws IOException, InterruptedException {
    Path shared = Path.of(System.getProperty("k3sbox.corpus", "../../shared/charts"));
    Path archive = shared.resolve("realworld.tar.xz");
    assertThat(archive).as("the chart corpus (shared/charts)").isRegularFile();
    Files.createDirectories(dir);
    Process tar =
        new ProcessBuilder("tar", "-xJf", archive.toAbsolutePath().toString(), "-C", dir.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).as("tar -xJf " + archive).isZero();
    return new Corpus(dir, shared.resolve("realworld-expected"));
  }

  public Path chart(String name) {
    return charts.resolve(name);
  }

  /** The flags its README lists for {@code chart}: the values it needs and its namespace. */
  public static List<String> flags(String chart) {
    return switch (chart) {
      case "cert-manager" -> List.of("--set", "crds.enabled=true");
      case "istio-base" -> List.of("-n", "istio-system");
      default -> List.of();
    };
  }

  public List<Expected> expected(String chart) throws IOException {
    List<Expected> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(expected.resolve(chart + ".objects.tsv"));
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = (line + "\t\t\t\t\t").split("\t", -1);
      rows.add(new Expected(f[0], f[1], f[2], f[3], f[4]));
    }
    return rows;
  }
}
