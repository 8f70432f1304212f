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
    Map<String, String> assignments = SetExpressions.assignments("--set", "a=1,b.c=x\\,y,d=");

    // Then
    assertThat(assignments)
        .containsExactly(Map.entry("a", "1"), Map.entry("b.c", "x,y"), Map.entry("d", ""));
  }

  @Test
  void shouldKeepHelmListSyntaxInOneAssignment() {
    // When
    Map<String, String> assignments = SetExpressions.assignments("--set", "hosts={a,b},replicas=2");

    // Then
    assertThat(assignments)
        .containsExactly(Map.entry("hosts", "{a,b}"), Map.entry("replicas", "2"));
  }

  @Test
  void shouldTypeListItemsAsHelmDoes() {
    // When
    Map<String, Object> values =
        SetExpressions.listValues(List.of("a.hosts={x,2,true,010},b=1", "c={}"));

    // Then
    assertThat(values)
        .isEqualTo(Map.of("a", Map.of("hosts", List.of("x", 2L, true, "010")), "c", List.of()));
  }

  @Test
  void shouldRejectAnAssignmentWithoutKey() {
    assertThatThrownBy(() -> SetExpressions.assignments("--set", "=1"))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessage("--set '=1' is not KEY=VALUE; write it like --set image.tag=1.2.3")
        .extracting(e -> ((HelmRunnerException) e).kind())
        .isEqualTo(HelmRunnerException.Kind.USAGE);
  }

  @Test
  void shouldNestSetStringValuesAsStrings() {
    // When
    Map<String, Object> values =
        SetExpressions.stringValues(List.of("image.tag=010", "image.pull=true", "a\\.b=1"));

    // Then
    assertThat(values).isEqualTo(Map.of("image", Map.of("tag", "010", "pull", "true"), "a.b", "1"));
  }

  @Test
  void shouldRefuseListIndexesInSetString() {
    assertThatThrownBy(() -> SetExpressions.stringValues(List.of("a[0]=x")))
        .isInstanceOf(HelmRunnerException.class)
        .hasMessageContaining("list indexes are not supported here");
  }
}
