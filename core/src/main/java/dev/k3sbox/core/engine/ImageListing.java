package dev.k3sbox.core.engine;

import dev.k3sbox.core.image.ServerImage;
import java.util.List;

/**
 * The engine's local images, as {@code doctor} reads them from one listing.
 *
 * @param tags every tag (an untagged image has none)
 * @param serverImage the one {@code up} would run of them, in {@code ImageCatalog}'s order; null
 *     when none is local
 */
public record ImageListing(List<String> tags, ServerImage serverImage) {}
