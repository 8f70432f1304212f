package dev.k3sbox.helm.matrix;

import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The objects of a matrix whose verdict depends on the Kubernetes version, each with why in one
 * phrase, read from the servers' own answers: a kind one server does not serve, a field one does
 * not know, a deprecation warning, or else the first refusal in the server's words.
 */
public final class VersionDifferences {
  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+).*");
  private static final Pattern UNKNOWN_FIELD = Pattern.compile("unknown field \"([^\"]+)\"");

  /**
   * One object of one values set whose verdict differs between versions.
   *
   * @param object {@code Kind/namespace/name}
   * @param validOn the versions that accept it, oldest first
   * @param invalidOn the versions that refuse it, oldest first
   * @param reason why, in one phrase
   */
  public record Difference(
      String valuesSet,
      String object,
      String source,
      List<String> validOn,
      List<String> invalidOn,
      String reason) {}

  private VersionDifferences() {}

  /** The differences among {@code reports} (cells of a matrix), by values set, then chart order. */
  public static List<Difference> of(List<ValidationReport> reports) {
    Map<String, List<ValidationReport>> bySet = new LinkedHashMap<>();
    for (ValidationReport r : reports) {
      if (r.cell() != null) {
        bySet.computeIfAbsent(r.cell().valuesSet(), s -> new ArrayList<>()).add(r);
      }
    }
    List<Difference> found = new ArrayList<>();
    for (var set : bySet.entrySet()) {
      List<ValidationReport> cells = new ArrayList<>(set.getValue());
      cells.sort(Comparator.comparing(r -> versionKey(r.cell().kubernetesVersion())));
      if (cells.size() < 2) {
        continue;
      }
      // Kind/namespace/name: a chart that picks its apiVersion by .Capabilities sends one object
      // under two versions of its API.
      Map<String, Map<String, ObjectResult>> byObject = new LinkedHashMap<>();
      for (ValidationReport cell : cells) {
        String version = MatrixCell.shortVersion(cell.cell().kubernetesVersion());
        for (ObjectResult o : cell.results()) {
          byObject.computeIfAbsent(o.ref().display(), k -> new LinkedHashMap<>()).put(version, o);
        }
      }
      for (var object : byObject.entrySet()) {
        explain(set.getKey(), object.getKey(), object.getValue()).ifPresent(found::add);
      }
    }
    return found;
  }

  private static Optional<Difference> explain(
      String valuesSet, String object, Map<String, ObjectResult> byVersion) {
    List<String> valid = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    byVersion.forEach((v, r) -> (r.valid() ? valid : invalid).add(v));
    String source = byVersion.values().iterator().next().source();
    if (!invalid.isEmpty() && !valid.isEmpty()) {
      ObjectResult refused = byVersion.get(invalid.get(0));
      String reason = refusal(refused.errors().get(0), valid, invalid);
      Optional<String> deprecation =
          valid.stream().flatMap(v -> deprecations(byVersion.get(v)).stream()).findFirst();
      if (deprecation.isPresent()) {
        reason += " (deprecated before: " + deprecation.get() + ")";
      }
      return Optional.of(new Difference(valuesSet, object, source, valid, invalid, reason));
    }
    if (invalid.isEmpty()) {
      // Valid everywhere, deprecated on some: what the next version will refuse.
      List<String> warned =
          valid.stream().filter(v -> !deprecations(byVersion.get(v)).isEmpty()).toList();
      if (!warned.isEmpty() && warned.size() < valid.size()) {
        String warning = deprecations(byVersion.get(warned.get(0))).get(0);
        return Optional.of(
            new Difference(
                valuesSet,
                object,
                source,
                valid,
                invalid,
                "deprecated on " + minors(warned) + ": " + warning));
      }
    }
    return Optional.empty();
  }

  private static String refusal(String error, List<String> valid, List<String> invalid) {
    String where = where(valid, invalid);
    if (error.contains("no matches for kind") || error.contains("does not serve")) {
      return "not served " + where;
    }
    Matcher field = UNKNOWN_FIELD.matcher(error);
    if (field.find()) {
      return "field " + field.group(1) + " unknown " + where;
    }
    String first = error.length() > 200 ? error.substring(0, 200) + "…" : error;
    return "rejected by " + minors(invalid) + ": " + first;
  }

  /**
   * Where the verdict turns, as far as the versions checked show it: "since 1.37" when only newer
   * versions refuse and the turn lies between two adjacent minors, "before 1.36" likewise for older
   * ones; otherwise which versions refuse and which accept ("by 1.34 (served by 1.37)" would claim
   * nothing about 1.35 and 1.36, which were not asked).
   */
  private static String where(List<String> valid, List<String> invalid) {
    Comparator<String> order = Comparator.comparing(VersionDifferences::versionKey);
    String newestValid = valid.stream().max(order).orElseThrow();
    String oldestValid = valid.stream().min(order).orElseThrow();
    String oldestInvalid = invalid.stream().min(order).orElseThrow();
    String newestInvalid = invalid.stream().max(order).orElseThrow();
    if (order.compare(oldestInvalid, newestValid) > 0 && adjacent(newestValid, oldestInvalid)) {
      return "since " + minor(oldestInvalid);
    }
    if (order.compare(newestInvalid, oldestValid) < 0 && adjacent(newestInvalid, oldestValid)) {
      return "before " + minor(oldestValid);
    }
    return "by " + minors(invalid) + " (accepted by " + minors(valid) + ")";
  }

  private static boolean adjacent(String older, String newer) {
    Matcher a = VERSION.matcher(older);
    Matcher b = VERSION.matcher(newer);
    return a.matches()
        && b.matches()
        && a.group(1).equals(b.group(1))
        && Integer.parseInt(b.group(2)) - Integer.parseInt(a.group(2)) <= 1;
  }

  private static List<String> deprecations(ObjectResult r) {
    return r.warnings().stream().filter(w -> w.contains("deprecated")).toList();
  }

  private static String minors(List<String> versions) {
    return String.join(", ", versions.stream().map(VersionDifferences::minor).toList());
  }

  /** {@code 1.37} of {@code v1.37.2}. */
  static String minor(String version) {
    Matcher m = VERSION.matcher(version);
    return m.matches() ? m.group(1) + "." + m.group(2) : version;
  }

  /** A sortable key: {@code v1.9.0} before {@code v1.10.0}. */
  static String versionKey(String version) {
    Matcher m = VERSION.matcher(version);
    return m.matches()
        ? String.format(
            "%05d.%05d.%05d",
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)))
        : version;
  }
}
