package io.servesim.workloads.arrival;

import java.util.SplittableRandom;

/**
 * A two-state Markov-modulated Poisson process: Poisson arrivals at the burst rate during bursts and at the
 * calm rate during calm periods; bursts and calm periods last exponential times with the given means. The
 * first state is drawn from the stationary distribution (burst with probability pb = burst/(burst + calm)
 * durations), so the long-run rate burstRate·pb + calmRate·(1 − pb) holds from time 0.
 */
public final class OnOffArrivals implements ArrivalProcess {
    private final SplittableRandom random;
    private final double burstRatePerSecond;
    private final double calmRatePerSecond;
    private final double meanBurstSeconds;
    private final double meanCalmSeconds;
    private boolean inBurst;
    private double stateEndSeconds;
    private double timeSeconds;

    public OnOffArrivals(double burstRatePerSecond, double calmRatePerSecond, double meanBurstSeconds,
                         double meanCalmSeconds, SplittableRandom random) {
        this.random = random;
        this.burstRatePerSecond = burstRatePerSecond;
        this.calmRatePerSecond = calmRatePerSecond;
        this.meanBurstSeconds = meanBurstSeconds;
        this.meanCalmSeconds = meanCalmSeconds;
        this.inBurst = random.nextDouble() * (meanBurstSeconds + meanCalmSeconds) < meanBurstSeconds;
        this.stateEndSeconds = random.nextExponential() * (inBurst ? meanBurstSeconds : meanCalmSeconds);
    }

    @Override
    public double nextArrivalSeconds() {
        while (true) {
            double rate = inBurst ? burstRatePerSecond : calmRatePerSecond;
            double candidate = rate > 0 ? timeSeconds + random.nextExponential() / rate : Double.POSITIVE_INFINITY;
            if (candidate < stateEndSeconds) {
                timeSeconds = candidate;
                return timeSeconds;
            }
            timeSeconds = stateEndSeconds;
            inBurst = !inBurst;
            stateEndSeconds = timeSeconds + random.nextExponential() * (inBurst ? meanBurstSeconds : meanCalmSeconds);
        }
    }
}
