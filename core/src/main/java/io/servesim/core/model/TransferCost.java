package io.servesim.core.model;

/**
 * The cost of moving data as a line in the number of bytes: {@code seconds(bytes) = latencySeconds +
 * bytes · secondsPerByte}. Collectives on a fixed GPU group and point-to-point sends on a fixed route have
 * this form, so a replica's step-time model precomputes them once and costs any message with one multiply-add.
 *
 * @param latencySeconds fixed part, independent of the message size
 * @param secondsPerByte variable part, the inverse of the effective bandwidth
 */
public record TransferCost(double latencySeconds, double secondsPerByte) implements CollectiveCost {
    /** No communication (a group of one GPU, or no next stage). */
    public static final TransferCost NONE = new TransferCost(0, 0);

    public TransferCost {
        if (!(latencySeconds >= 0) || !(secondsPerByte >= 0)) {
            throw new IllegalArgumentException("transfer cost terms must be >= 0, got latency " + latencySeconds
                    + " s and " + secondsPerByte + " s/byte");
        }
    }

    /** Seconds to move {@code bytes}. */
    @Override
    public double seconds(double bytes) {
        return latencySeconds + bytes * secondsPerByte;
    }

    /** A cost at least as slow as both: the larger latency and the smaller bandwidth. */
    public TransferCost slowest(TransferCost other) {
        return new TransferCost(Math.max(latencySeconds, other.latencySeconds),
                Math.max(secondsPerByte, other.secondsPerByte));
    }
}
