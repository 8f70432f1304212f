package dev.k3sbox.helm.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names the file each of a chart's CRDs comes from. {@code helm show crds} prints the {@code crds/}
 * files one after another with no {@code # Source:} comment, unlike rendered templates, so a
 * rejected CRD could only be reported as {@code <chart>/crds}.
 *
 * <p>Helm's output stays the authority (it applies {@code .helmignore} and includes dependencies);
 * the files on disk only name it. When every part of it is found in a file of an unpacked chart,
 * the result is the same documents, each under a {@code # Source: <chart>/crds/<file>} comment (a
 * dependency's as {@code <chart>/charts/<dep>/crds/<file>}). Otherwise, as for a packaged chart,
 * Helm's text is returned unchanged.
 */
final class CrdSources {
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private CrdSources() {}

  static String annotate(Path chart, String chartName, String helmCrds) {
    if (helmCrds == null || helmCrds.isBlank() || !Files.isDirectory(chart)) {
      return helmCrds;
    }
    List<Path> files = crdFiles(chart);
    StringBuilder annotated = new StringBuilder();
    String unclaimed = helmCrds;
    for (Path file : files) {
      String text = read(file).strip();
      if (text.isEmpty() || !unclaimed.contains(text)) {
        continue;
      }
      unclaimed = unclaimed.replace(text, "");
      String source = chartName + "/" + chart.relativize(file).toString().replace('\\', '/');
      for (String document : DOCUMENT_SEPARATOR.split(text)) {
        if (!document.isBlank()) {
          annotated.append("---\n# Source: ").append(source).append('\n');
          annotated.append(document.strip()).append('\n');
        }
      }
    }
    boolean allClaimed = DOCUMENT_SEPARATOR.matcher(unclaimed).replaceAll("").isBlank();
    return allClaimed ? annotated.toString() : helmCrds;
  }

  /** YAML and JSON files under {@code crds/}, the chart's and its unpacked dependencies'. */
  private static List<Path> crdFiles(Path chart) {
    List<Path> roots = new ArrayList<>();
    roots.add(chart.resolve("crds"));
    try (Stream<Path> deps = Files.list(chart.resolve("charts"))) {
      deps.filter(Files::isDirectory).sorted().forEach(d -> roots.add(d.resolve("crds")));
    } catch (IOException e) {
      // no charts/ folder: no unpacked dependencies
    }
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile)
            .filter(CrdSources::isManifest)
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
