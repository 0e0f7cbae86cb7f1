package io.servesim.workloads.arrival;

import java.util.SplittableRandom;

/**
 * Gamma-distributed inter-arrival times with mean 1 / rate and coefficient of variation cv: shape k = 1/cv²,
 * scale θ = 1/(rate·k). cv = 1 is Poisson; cv &gt; 1 is burstier, cv &lt; 1 more regular. Draws use
 * Marsaglia and Tsang's method (ACM TOMS 26(3), 2000), with the U^(1/k) boost for k &lt; 1.
 */
public final class GammaArrivals implements ArrivalProcess {
    private final SplittableRandom random;
    private final double shape;
    private final double scaleSeconds;
    private final double boostedShape;
    private final double d;
    private final double c;
    private double timeSeconds;

    public GammaArrivals(double ratePerSecond, double cv, SplittableRandom random) {
        this.random = random;
        this.shape = 1.0 / (cv * cv);
        this.scaleSeconds = 1.0 / (ratePerSecond * shape);
        this.boostedShape = shape < 1 ? shape + 1 : shape;
        this.d = boostedShape - 1.0 / 3.0;
        this.c = 1.0 / Math.sqrt(9.0 * d);
    }

    @Override
    public double nextArrivalSeconds() {
        timeSeconds += scaleSeconds * standardGamma();
        return timeSeconds;
    }

    /** One Gamma(shape, 1) draw. */
    private double standardGamma() {
        double g = marsagliaTsang();
        return shape < 1 ? g * Math.pow(random.nextDouble(), 1.0 / shape) : g;
    }

    /** One Gamma(boostedShape, 1) draw, boostedShape ≥ 1. */
    private double marsagliaTsang() {
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
