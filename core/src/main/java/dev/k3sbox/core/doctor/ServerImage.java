package dev.k3sbox.core.doctor;

/**
 * The local image {@code up} would run, and whether its builder labelled it as needing no privilege
 * ({@code dev.k3sbox.image.privilege=none}, as the control-plane stand-in is).
 */
public record ServerImage(String name, boolean needsNoPrivilege) {}
