package io.servesim.experiments.capacity;

import com.google.inject.Module;
import io.servesim.core.config.ConfigException;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.metrics.RunMetrics;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.experiments.capacity.CapacityResult.Status;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.ScenarioRunner;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The highest arrival rate a configuration sustains under its SLA: the largest workload {@code rps_scale} at which
 * a run (same seed every time) has goodput_fraction ≥ target and is not saturated.
 *
 * <p>Bracketing starts at the scenario's own rps_scale: while probes pass the scale doubles, while they fail it
 * halves, until one passing and one failing scale are known. Bisection then probes the midpoint of the highest
 * passing scale {@code lo} and the lowest failing scale {@code hi}, until {@code hi ≤ lo · (1 + tolerance)}.
 * Every probe lies strictly between {@code lo} and {@code hi}, so {@code lo} is always the highest passing probe
 * below the lowest failing one. Goodput need not fall monotonically with the rate (a run is one sample): a pass
 * above a failure is never looked for, and a failure reached first makes the answer conservative. The capacity
 * therefore lies in [lo, hi) up to that noise, and is reported as lo.
 *
 * <p>A search may start warm ({@link #find(Scenario, CapacityOptions, WarmStart, Consumer, Module...)}): from a
 * guessed scale, with a first bracketing step of {@code 1 + step} that squares at every further step (1.1, 1.21,
 * 1.46, 2.14, …, at most 2), so a good guess is bracketed in two probes and a poor one still in a few. The cold
 * start is the scenario's own scale with step 1: doubling and halving, as above.
 */
public final class CapacitySearch {
    private CapacitySearch() {
    }

    /**
     * Where bracketing starts and how far its first step goes.
     *
     * @param rpsScale the first probe's rps_scale, > 0
     * @param step     the first step multiplies or divides the scale by 1 + step; in (0, 1], 1 = doubling
     */
    public record WarmStart(double rpsScale, double step) {
        public WarmStart {
            if (!(rpsScale > 0) || !Double.isFinite(rpsScale)) {
                throw new IllegalArgumentException("rpsScale must be a positive number, got " + rpsScale);
            }
            if (!(step > 0 && step <= 1)) {
                throw new IllegalArgumentException("step must be in (0, 1], got " + step);
            }
        }

        /** The factor of bracketing step {@code k} (0, 1, …): (1 + step)^(2^k), at most 2. */
        double factor(int k) {
            return Math.min(2, Math.pow(1 + step, Math.pow(2, Math.min(k, 30))));
        }
    }

    /** Searches with the scenario's own modules. */
    public static CapacityResult find(Scenario scenario, CapacityOptions options) {
        return find(scenario, options, probe -> { }, new Module[0]);
    }

    /**
     * Searches, telling {@code onProbe} about each probe as it ends; {@code overrides} replace bindings of every
     * probe's run as in {@link ScenarioRunner#run(Scenario, Workload, Module...)}.
     */
    public static CapacityResult find(Scenario scenario, CapacityOptions options, Consumer<CapacityProbe> onProbe,
                                      Module... overrides) {
        return find(scenario, options, null, onProbe, overrides);
    }

    /** Searches from {@code warm} (null: the scenario's own scale, doubling and halving). */
    public static CapacityResult find(Scenario scenario, CapacityOptions options, WarmStart warm,
                                      Consumer<CapacityProbe> onProbe, Module... overrides) {
        if (scenario.workload().closedLoop() != null) {
            throw new ConfigException("workload: a capacity search scales the arrival rate, and a closed_loop workload"
                    + " has none (its load is its concurrency); run it at several concurrency values instead");
        }
        WorkloadSpec spec = options.probeSeconds() != null ? scenario.workload().withDurationSeconds(options.probeSeconds())
                : options.requests() != null ? scenario.workload().withRequests(options.requests())
                : scenario.workload();
        Prober prober = new Prober(scenario, spec, options, onProbe, overrides);
        WarmStart from = warm != null ? warm : new WarmStart(spec.rpsScale(), 1);
        double start = from.rpsScale();
        double lo = Double.NaN;
        double hi = Double.NaN;
        int step = 0;
        if (prober.passes(start, "bracket")) {
            lo = start;
            while (Double.isNaN(hi) && prober.hasProbesLeft()) {
                double next = lo * from.factor(step++);
                if (prober.passes(next, "bracket")) {
                    lo = next;
                } else {
                    hi = next;
                }
            }
        } else {
            hi = start;
            while (Double.isNaN(lo) && prober.hasProbesLeft()) {
                double next = hi / from.factor(step++);
                if (prober.passes(next, "bracket")) {
                    lo = next;
                } else {
                    hi = next;
                }
            }
        }
        while (!Double.isNaN(lo) && !Double.isNaN(hi) && hi > lo * (1 + options.relativeTolerance())
                && prober.hasProbesLeft()) {
            double mid = (lo + hi) / 2;
            if (prober.passes(mid, "bisect")) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Status status = Double.isNaN(lo) ? Status.BELOW_LOWEST_PROBE
                : Double.isNaN(hi) ? Status.ABOVE_HIGHEST_PROBE
                : hi <= lo * (1 + options.relativeTolerance()) ? Status.FOUND
                : Status.TOLERANCE_NOT_REACHED;
        DeploymentConfig d = scenario.deployment();
        return new CapacityResult(status, prober.rateRps(lo), lo, prober.rateRps(hi), options.targetGoodputFraction(),
                options.relativeTolerance(), spec.requests(), scenario.seed(), d.tp() * d.pp() * d.replicas(),
                prober.profiles(), prober.probes);
    }

    /** Runs probes and remembers them. */
    private static final class Prober {
        private final Scenario scenario;
        private final WorkloadSpec spec;
        private final CapacityOptions options;
        private final Consumer<CapacityProbe> onProbe;
        private final Module[] overrides;
        private final Workload base;
        private final double ratePerScale;
        final List<CapacityProbe> probes = new ArrayList<>();

        Prober(Scenario scenario, WorkloadSpec spec, CapacityOptions options, Consumer<CapacityProbe> onProbe,
               Module[] overrides) {
            this.scenario = scenario;
            this.spec = spec;
            this.options = options;
            this.onProbe = onProbe;
            this.overrides = overrides.clone();
            this.base = Workload.compile(spec);
            this.ratePerScale = base.requestRatePerSecond() / spec.rpsScale();
        }

        boolean hasProbesLeft() {
            return probes.size() < options.maxProbes();
        }

        double rateRps(double rpsScale) {
            return rpsScale * ratePerScale;
        }

        List<ProfileInfo> profiles() {
            return base.profileInfos();
        }

        boolean passes(double rpsScale, String phase) {
            WorkloadSpec scaled = spec.withRpsScale(rpsScale);
            RunMetrics m = ScenarioRunner.run(scenario.withWorkload(scaled), Workload.compile(scaled), overrides)
                    .metrics();
            CapacityProbe probe = CapacityProbe.of(probes.size(), phase, rpsScale, rateRps(rpsScale), m,
                    options.targetGoodputFraction());
            probes.add(probe);
            onProbe.accept(probe);
            return probe.passed();
        }
    }
}
