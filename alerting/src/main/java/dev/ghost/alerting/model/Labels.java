package dev.ghost.alerting.model;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An alert's identity: label names to values, sorted, immutable. Two alerts with the same
 * labels are the same alert; the {@link #fingerprint()} is computed the way Prometheus and
 * Alertmanager do (FNV-1a 64 over sorted name/value pairs with a 0xff separator), so the value
 * stays stable across restarts and is comparable with theirs.
 */
public record Labels(SortedMap<String, String> map) {

    public static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final byte SEPARATOR = (byte) 0xff;

    public Labels {
        TreeMap<String, String> copy = new TreeMap<>();
        map.forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                copy.put(name, value); // an empty label is the same as no label (Prometheus semantics)
            }
        });
        map = Collections.unmodifiableSortedMap(copy);
    }

    public static Labels of(Map<String, String> labels) {
        return new Labels(new TreeMap<>(labels));
    }

    /** The value of {@code name}, empty when absent (as matchers see it). */
    public String get(String name) {
        return map.getOrDefault(name, "");
    }

    public String fingerprint() {
        long hash = FNV_OFFSET;
        for (Map.Entry<String, String> label : map.entrySet()) {
            hash = fnv(hash, label.getKey().getBytes(StandardCharsets.UTF_8));
            hash = fnv(hash, new byte[] {SEPARATOR});
            hash = fnv(hash, label.getValue().getBytes(StandardCharsets.UTF_8));
            hash = fnv(hash, new byte[] {SEPARATOR});
        }
        return String.format("%016x", hash);
    }

    private static long fnv(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
