package io.servesim.workloads.arrival;

import java.util.SplittableRandom;

/** Exponential inter-arrival times with mean 1 / rate. */
public final class PoissonArrivals implements ArrivalProcess {
    private final SplittableRandom random;
    private final double ratePerSecond;
    private double timeSeconds;

    public PoissonArrivals(double ratePerSecond, SplittableRandom random) {
        this.ratePerSecond = ratePerSecond;
        this.random = random;
    }

    @Override
    public double nextArrivalSeconds() {
        timeSeconds += random.nextExponential() / ratePerSecond;
        return timeSeconds;
    }
}
