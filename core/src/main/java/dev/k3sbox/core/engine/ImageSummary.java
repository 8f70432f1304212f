package dev.k3sbox.core.engine;

import java.util.List;
import java.util.Map;

/**
 * What k3sbox reads of an image, listed or inspected.
 *
 * @param tags its repository tags; an untagged (dangling) image has none
 * @param labels never null
 * @param created when it was built, in Unix seconds
 */
public record ImageSummary(
    String id, List<String> tags, Map<String, String> labels, long sizeBytes, long created) {}
