package dev.k3sbox.core.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The result of one doctor run: the checks in table order, the recommendation for {@code up}, and
 * the one reason {@code up} cannot work here, if there is one.
 */
public record DoctorReport(
    List<Check> checks, Recommendation recommendation, Optional<String> blockingReason) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public DoctorReport {
    checks = checks.stream().sorted(Comparator.comparing(Check::id)).toList();
  }

  public boolean canRunUp() {
    return blockingReason.isEmpty();
  }

  /**
   * {@code {"checks": [{"name","status","detail"}], "recommendation": {"privilegeProfile",
   * "networkMode","image","reasons"}, "canRunUp", "blockingReason"}}, values lower-case as the
   * table prints them.
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("checks");
    for (Check c : checks) {
      list.addObject()
          .put("name", c.name())
          .put("status", c.status().label())
          .put("detail", c.detail());
    }
    ObjectNode rec = root.putObject("recommendation");
    rec.put(
        "privilegeProfile",
        recommendation.privilegeProfile() == null
            ? null
            : recommendation.privilegeProfile().label());
    rec.put(
        "networkMode",
        recommendation.networkMode() == null ? null : recommendation.networkMode().label());
    rec.put("image", recommendation.image());
    ArrayNode reasons = rec.putArray("reasons");
    recommendation.reasons().forEach(reasons::add);
    root.put("canRunUp", canRunUp());
    root.put("blockingReason", blockingReason.orElse(null));
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
