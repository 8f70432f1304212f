package dev.k3sbox.helm.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.helm.cluster.ObjectRef;
import dev.k3sbox.helm.validate.ObjectResult;
import dev.k3sbox.helm.validate.ValidationReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionDifferencesTest {
  private static final ObjectRef CRONJOB = new ObjectRef("batch/v1", "CronJob", "default", "c");
  private static final ObjectRef PDB =
      new ObjectRef("policy/v1beta1", "PodDisruptionBudget", "default", "p");

  @Test
  void shouldSayAKindIsNotServedSinceTheFirstVersionThatRefusesIt() {
    // Given: served (with a deprecation warning) on 1.35, not on 1.36 and 1.37
    List<ValidationReport> cells =
        List.of(
            cell("v1.37.2+k3sbox", result(PDB, List.of(notServed()), List.of())),
            cell(
                "v1.35.4+k3sbox",
                result(PDB, List.of(), List.of("policy/v1beta1 is deprecated; use policy/v1"))),
            cell("v1.36.3+k3sbox", result(PDB, List.of(notServed()), List.of())));

    // When
    List<VersionDifferences.Difference> differences = VersionDifferences.of(cells);

    // Then
    assertThat(differences).hasSize(1);
    VersionDifferences.Difference d = differences.get(0);
    assertThat(d.object()).isEqualTo("PodDisruptionBudget/default/p");
    assertThat(d.validOn()).containsExactly("v1.35.4");
    assertThat(d.invalidOn()).containsExactly("v1.36.3", "v1.37.2");
    assertThat(d.reason())
        .isEqualTo(
            "not served since 1.36 (deprecated before: policy/v1beta1 is deprecated; use"
                + " policy/v1)");
  }

  @Test
  void shouldSayAFieldIsUnknownBeforeTheFirstVersionThatKnowsIt() {
    // Given
    String unknown =
        "CronJob.batch \"c\" is invalid: .spec.newThing: unknown field \"spec.newThing\"";
    List<ValidationReport> cells =
        List.of(
            cell("v1.36.3", result(CRONJOB, List.of(unknown), List.of())),
            cell("v1.37.2", result(CRONJOB, List.of(), List.of())));

    // When
    String reason = VersionDifferences.of(cells).get(0).reason();

    // Then
    assertThat(reason).isEqualTo("field spec.newThing unknown before 1.37");
  }

  @Test
  void shouldClaimNothingAboutVersionsNotChecked() {
    // Given: 1.34 and 1.37 only; 1.35 and 1.36 were not asked
    List<ValidationReport> cells =
        List.of(
            cell("v1.34.4", result(CRONJOB, List.of(notServed()), List.of())),
            cell("v1.37.2", result(CRONJOB, List.of(), List.of())));

    // When
    String reason = VersionDifferences.of(cells).get(0).reason();

    // Then
    assertThat(reason).isEqualTo("not served by 1.34 (accepted by 1.37)");
  }

  @Test
  void shouldQuoteTheServerOtherwise() {
    List<ValidationReport> cells =
        List.of(
            cell("v1.34.4", result(CRONJOB, List.of(), List.of())),
            cell("v1.35.4", result(CRONJOB, List.of("spec.schedule: Invalid value"), List.of())),
            cell("v1.37.2", result(CRONJOB, List.of(), List.of())));

    assertThat(VersionDifferences.of(cells).get(0).reason())
        .isEqualTo("rejected by 1.35: spec.schedule: Invalid value");
  }

  @Test
  void shouldIgnoreObjectsWithOneVerdictEverywhere() {
    List<ValidationReport> cells =
        List.of(
            cell("v1.34.4", result(CRONJOB, List.of("bad"), List.of())),
            cell("v1.37.2", result(CRONJOB, List.of("bad"), List.of())));

    assertThat(VersionDifferences.of(cells)).isEmpty();
  }

  @Test
  void shouldKeepValuesSetsApart() {
    // Given: refused on 1.34 in one set, valid on 1.37 in another: no difference within a set
    List<ValidationReport> cells =
        List.of(
            cell("a", "v1.34.4", result(CRONJOB, List.of("bad"), List.of())),
            cell("b", "v1.37.2", result(CRONJOB, List.of(), List.of())));

    assertThat(VersionDifferences.of(cells)).isEmpty();
  }

  private static String notServed() {
    return "no matches for kind \"PodDisruptionBudget\" in version \"policy/v1beta1\": the API"
        + " server does not serve it";
  }

  private static ObjectResult result(ObjectRef ref, List<String> errors, List<String> warnings) {
    return new ObjectResult(ref, "demo/templates/x.yaml", errors, warnings);
  }

  private static ValidationReport cell(String version, ObjectResult result) {
    return cell(MatrixCell.DEFAULT_SET, version, result);
  }

  private static ValidationReport cell(String set, String version, ObjectResult result) {
    return new ValidationReport("demo", "demo", "default", List.of(result))
        .inCell(new MatrixCell(set, version));
  }
}
