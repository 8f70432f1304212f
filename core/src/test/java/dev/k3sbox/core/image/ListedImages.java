package dev.k3sbox.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k3sbox.core.Labels;
import dev.k3sbox.core.engine.ImageSummary;
import java.util.List;
import java.util.Map;

/** Images as an engine lists them, for choices made from a listing. */
public final class ListedImages {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Labels k3sbox's stand-in build sets. */
  public static final Map<String, String> STANDIN_LABELS =
      Map.of(Labels.IMAGE_FLAVOR, "standin", Labels.IMAGE_PRIVILEGE, "none");

  private ListedImages() {}

  /** A row of Docker's {@code GET /images/json}, as the daemon sends it. */
  public static JsonNode image(String tag, Map<String, String> labels, long created) {
    return JSON.valueToTree(
        Map.of("RepoTags", List.of(tag), "Labels", labels, "Created", created, "Size", 1L));
  }

  /** An image as the engine port lists it. */
  public static ImageSummary summary(String tag, Map<String, String> labels, long created) {
    return new ImageSummary("sha256:" + tag, List.of(tag), labels, 1L, created);
  }
}
