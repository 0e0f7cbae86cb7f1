package io.servesim.core.model;

import io.servesim.core.config.ConfigException;

import java.util.Arrays;
import java.util.Locale;

/** A number format for weights or KV-cache elements, with its size. */
public enum Precision {
    BF16(2), FP16(2), FP8(1);

    private final double bytes;

    Precision(double bytes) {
        this.bytes = bytes;
    }

    /** Bytes of one element. */
    public double bytes() {
        return bytes;
    }

    /** The name used in configurations: {@code bf16}, {@code fp16}, {@code fp8}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision called {@code key} (any case); a {@link ConfigException} naming {@code field} otherwise. */
    public static Precision of(String key, String field) {
        for (Precision p : values()) {
            if (p.key().equalsIgnoreCase(key)) {
                return p;
            }
        }
        throw new ConfigException(field + " must be one of " + Arrays.stream(values()).map(Precision::key).toList()
                + ", got '" + key + "'");
    }
}
