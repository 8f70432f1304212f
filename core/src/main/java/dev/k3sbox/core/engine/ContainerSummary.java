package dev.k3sbox.core.engine;

import java.util.Map;

/** A container as a listing shows it. */
public record ContainerSummary(String id, String name, Map<String, String> labels) {}
