package io.servesim.core.model;

/**
 * The time of one collective on a fixed GPU group as a function of its message size: a line for a modelled ring or
 * send ({@link TransferCost}), or a measured curve (an all-reduce the catalog GPU has measurements for, see
 * {@code io.servesim.core.hardware.AllReduceTimes}). Implementations do not allocate: the step-time model calls them
 * once per iteration.
 */
@FunctionalInterface
public interface CollectiveCost {

    /** Seconds to run the collective on a message of {@code bytes} (per GPU). */
    double seconds(double bytes);
}
