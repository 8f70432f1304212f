package dev.k3sbox.helm.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k3sbox.helm.HelmRunnerException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SetExpressionsTest {

  @Test
  void shouldSplitCommaSeparatedAssignmentsButKeepEscapedCommas() {
    // When
    SetExpression expression = SetExpression.parse("--set", "a=1,b.c=x\\,y,d=");

    // Then
    assertThat(expression.assignments())
        .containsExactly(Map.entry("a", "1"), Map.entry("b.c", "x,y"), Map.entry("d", ""));
  }

  @Test
  void shouldKeepHelmListSyntaxInOneAssignment() {
    // When
    SetExpression expression = SetExpression.parse("--set", "hosts={a,b},replicas=2");

    // Then
    assertThat(expression.assignments())
        .containsExactly(Map.entry("hosts", "{a,b}"), Map.entry("replicas", "2"));
  }

  @Test
  void shouldReadAsWrittenSoAListOfThemPrintsLikeTheFlags() {
    // When
    List<SetExpression> expressions =
        List.of(SetExpression.parse("--set", "a=1,b=2"), SetExpression.parse("--set", "c=3"));

    // Then
    assertThat(expressions).hasToString("[a=1,b=2, c=3]");
  }

  @Test
  void shouldTypeListItemsAsHelmDoes() {
    // When
    Map<String, Object> values =
        SetExpressions.listValues(
            List.of(
                SetExpression.parse("--set", "a.hosts={x,2,true,010},b=1"),
                SetExpression.parse("--set", "c={}")));

    // Then
    assertThat(values)
        .isEqualTo(Map.of("a", Map.of("hosts", List.of("x", 2L, true, "010")), "c", List.of()));
  }

  @Test
  void shouldRejectAnAssignmentWithoutKey() {
    assertThatThrownBy(() -> SetExpression.parse("--set", "=1"))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessage("--set '=1' is not KEY=VALUE; write it like --set image.tag=1.2.3")
        .extracting(e -> ((HelmRunnerException) e).kind())
        .isEqualTo(HelmRunnerException.Kind.USAGE);
  }

  @Test
  void shouldNestSetStringValuesAsStrings() {
    // When
    Map<String, Object> values =
        SetExpressions.stringValues(
            List.of(
                SetExpression.parse("--set-string", "image.tag=010"),
                SetExpression.parse("--set-string", "image.pull=true"),
                SetExpression.parse("--set-string", "a\\.b=1")));

    // Then
    assertThat(values).isEqualTo(Map.of("image", Map.of("tag", "010", "pull", "true"), "a.b", "1"));
  }

  @Test
  void shouldRefuseListIndexesInSetString() {
    // Given
    List<SetExpression> expressions = List.of(SetExpression.parse("--set-string", "a[0]=x"));

    // Then
    assertThatThrownBy(() -> SetExpressions.stringValues(expressions))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessage(
            "--set-string 'a[0]=x': key 'a[0]' is not a dotted path of names (list indexes are not"
                + " supported here); use a values file (-f) for lists");
  }
}
