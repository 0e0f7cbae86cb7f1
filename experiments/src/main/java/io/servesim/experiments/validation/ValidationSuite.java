package io.servesim.experiments.validation;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.model.StepTimeProfile;
import io.servesim.experiments.calibration.CalibrationSplit;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed suite of {@code servesim validate}: queueing theory (M/M/1, M/D/1, Little's law), batching theory
 * (static and multi-bin saturated throughput) and physics (the step-time model against real measurements: the
 * held-out tables of the bundled calibration data, or the user's measured step times). Seeds are fixed, so the suite
 * gives the same numbers on every machine.
 *
 * @param quick             smaller runs for continuous integration
 * @param profiles          the user's measured step times the model is compared with; empty for the bundled
 *                          held-out measurements
 * @param physicsTolerance  the largest mean relative error of the roofline that passes
 */
public record ValidationSuite(boolean quick, List<StepTimeProfile> profiles, double physicsTolerance) {
    static final long SEED = 20240601L;
    /** Default tolerance of the roofline against measurements. */
    public static final double DEFAULT_PHYSICS_TOLERANCE = 0.25;

    public ValidationSuite {
        profiles = List.copyOf(profiles);
    }

    public List<ValidationCheck> run() {
        int queueRequests = quick ? 200_000 : 1_000_000;
        int littleRequests = quick ? 10_000 : 40_000;
        int batchRequests = quick ? 10_000 : 40_000;
        // Physics first: a profile naming an unknown model or GPU is a user mistake, reported before any run.
        List<ValidationCheck> physics = profiles.isEmpty()
                ? MeasuredPhysicsChecks.heldOut(CalibrationSplit.bundled(), Catalog.load(), physicsTolerance)
                : StepTimePhysicsChecks.rooflineAgainst(profiles, Catalog.load(), physicsTolerance);
        List<ValidationCheck> checks = new ArrayList<>();
        checks.add(QueueingTheoryChecks.markovianSojournTime(queueRequests, SEED));
        checks.add(QueueingTheoryChecks.deterministicWaitingTime(queueRequests, SEED + 1));
        checks.add(QueueingTheoryChecks.littlesLaw(littleRequests, SEED + 2));
        for (int bins : new int[] {1, 2, 4, 8}) {
            checks.add(BatchingTheoryChecks.saturatedThroughput(bins, batchRequests, SEED + 3));
        }
        checks.addAll(physics);
        return checks;
    }
}
