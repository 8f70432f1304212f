package dev.k3sbox.core.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.core.image.ServerImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoctorReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldWriteChecksRecommendationAndVerdictAsJson() throws Exception {
    // Given checks in probe-completion order
    List<Check> checks =
        List.of(
            Check.ok(CheckId.NETWORK_HOST, "a container runs with --network host"),
            Check.fail(CheckId.PRIVILEGED, "unable to apply caps"),
            Check.ok(CheckId.CAPABILITIES, "40 capabilities"),
            Check.ok(CheckId.DAEMON, "Docker 20.10"),
            Check.warn(CheckId.STORAGE_DRIVER, "vfs"));

    // When
    JsonNode json =
        JSON.readTree(
            Recommender.decide(
                    checks, new ServerImage("rancher/k3s:v1.33.5-k3s1", false, ServerImage.K3S))
                .toJson());

    // Then
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("checks", "recommendation", "canRunUp", "blockingReason");
    assertThat(json.get("checks")).hasSize(5);
    JsonNode first = json.get("checks").get(0);
    assertThat(first.get("name").asText()).isEqualTo("docker daemon");
    assertThat(first.get("status").asText()).isEqualTo("ok");
    assertThat(json.get("checks").get(1).get("status").asText()).isEqualTo("warn");
    assertThat(json.get("checks").get(2).get("name").asText()).isEqualTo("--privileged");
    assertThat(json.get("checks").get(2).get("status").asText()).isEqualTo("fail");
    assertThat(json.get("checks").get(2).get("detail").asText()).isEqualTo("unable to apply caps");

    JsonNode rec = json.get("recommendation");
    assertThat(rec.fieldNames())
        .toIterable()
        .containsExactly("privilegeProfile", "networkMode", "image", "reasons");
    assertThat(rec.get("privilegeProfile").asText()).isEqualTo("none");
    assertThat(rec.get("networkMode").asText()).isEqualTo("host");
    assertThat(rec.get("image").asText()).isEqualTo("rancher/k3s:v1.33.5-k3s1");
    assertThat(rec.get("reasons").isArray()).isTrue();
    assertThat(json.get("canRunUp").asBoolean()).isTrue();
    assertThat(json.get("blockingReason").isNull()).isTrue();
  }

  @Test
  void shouldWriteNullsWhenTheDaemonIsMissing() throws Exception {
    List<Check> checks = List.of(Check.fail(CheckId.DAEMON, "no Docker daemon answers"));

    JsonNode json = JSON.readTree(Recommender.decide(checks, null).toJson());

    assertThat(json.get("canRunUp").asBoolean()).isFalse();
    assertThat(json.get("blockingReason").asText()).isEqualTo("no Docker daemon answers");
    assertThat(json.get("recommendation").get("privilegeProfile").isNull()).isTrue();
    assertThat(json.get("recommendation").get("networkMode").isNull()).isTrue();
    assertThat(json.get("recommendation").get("image").isNull()).isTrue();
  }
}
