package io.servesim.workloads.arrival;

/** Arrivals exactly 1 / rate apart: at 1/rate, 2/rate, … (computed as k / rate, so no error accumulates). */
public final class ConstantArrivals implements ArrivalProcess {
    private final double ratePerSecond;
    private long count;

    public ConstantArrivals(double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
    }

    @Override
    public double nextArrivalSeconds() {
        return ++count / ratePerSecond;
    }
}
