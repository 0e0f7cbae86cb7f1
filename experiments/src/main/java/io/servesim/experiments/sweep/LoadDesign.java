package io.servesim.experiments.sweep;

import io.servesim.core.config.ConfigException;
import io.servesim.experiments.capacity.CapacityOptions;
import io.servesim.experiments.plan.Arms;
import io.servesim.experiments.plan.Arms.Arm;
import io.servesim.experiments.plan.CapacityCell;
import io.servesim.experiments.plan.CapacitySearches;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ScenarioTemplate;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cells of a sweep or a comparison: every arm (configuration) at every offered rate, each replication once. The
 * rate sets the workload's rps_scale (rate / the workload's own long-run rate at scale 1), and a cell's seed derives
 * from the plan seed, its workload and its replication only ({@link Cell#seeded}): at one rate and replication every
 * arm whose workload is the same serves the very same requests (common random numbers).
 *
 * <p>Cell ids are {@code <arm key>-rate<rate>-r<replication>}, e.g. {@code multi_bin-rate12.0-r0}.
 *
 * @param step         the {@code step} column (sweep, compare)
 * @param arms         the configurations
 * @param scenarios    each arm's scenario as read (its own seed and rps_scale), in arm order
 * @param rates        the offered rates, req/s
 * @param replications runs per arm and rate
 * @param planSeed     the seed every cell's seed derives from
 * @param cells        arm by arm, rate by rate, replication by replication
 */
public record LoadDesign(String step, Arms arms, List<Scenario> scenarios, RateLadder rates, int replications,
                         long planSeed, List<Cell> cells) {
    public LoadDesign {
        scenarios = List.copyOf(scenarios);
        cells = List.copyOf(cells);
    }

    /**
     * The design of {@code arms} over {@code config} at {@code rates}; the plan seed is {@code seed} or the first
     * arm's scenario seed.
     */
    public static LoadDesign of(String step, Optional<Path> config, Arms arms, RateLadder rates, int replications,
                                Long seed) {
        if (replications < 1) {
            throw new ConfigException("--replications must be >= 1, got " + replications);
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (Arm arm : arms.arms()) {
            ScenarioTemplate template = arms.template(config, arm, "stress");
            if (template.planSection().isPresent()) {
                throw new ConfigException("a plan: section is for servesim stress; sweep and compare take their axes"
                        + " from --set key=v1,v2 and --rates");
            }
            Scenario scenario = template.scenario();
            if (scenario.workload().closedLoop() != null) {
                throw new ConfigException("workload: a closed_loop workload has no arrival rate to set; sweep its"
                        + " concurrency with --set workload.closed_loop.clients=... on servesim run instead");
            }
            scenarios.add(scenario);
        }
        long planSeed = seed != null ? seed : scenarios.get(0).seed();
        List<Cell> cells = new ArrayList<>();
        for (int a = 0; a < scenarios.size(); a++) {
            Arm arm = arms.arms().get(a);
            Scenario scenario = scenarios.get(a);
            double ownRate = nominalRateRps(scenario.workload());
            for (double rate : rates.ratesRps()) {
                WorkloadSpec workload = scenario.workload().withRpsScale(rate / ownRate);
                for (int r = 0; r < replications; r++) {
                    cells.add(Cell.seeded(arm.key() + "-rate" + ResultRow.text(rate), step, arm.label(), r,
                            scenario.withWorkload(workload), planSeed));
                }
            }
        }
        return new LoadDesign(step, arms, scenarios, rates, replications, planSeed, cells);
    }

    /** The long-run arrival rate of {@code workload} at rps_scale 1, req/s. */
    public static double nominalRateRps(WorkloadSpec workload) {
        return Workload.compile(workload.withRpsScale(1.0)).requestRatePerSecond();
    }

    /** The offered rate of {@code scenario} as it is, req/s: the nominal rate times its rps_scale. */
    public static double offeredRateRps(Scenario scenario) {
        return nominalRateRps(scenario.workload()) * scenario.workload().rpsScale();
    }

    /**
     * One capacity search per arm, probed exactly as {@code servesim capacity --config FILE --set ...} probes that
     * arm's scenario: its own seed, its own request limit and rps_scale to start from, {@code options}. So the mark a
     * sweep draws is the number {@code servesim capacity} prints.
     */
    public CapacitySearches capacitySearches(CapacityOptions options) {
        Map<String, Integer> armOfCell = new HashMap<>();
        int perArm = rates.ratesRps().size() * replications;
        for (int i = 0; i < cells.size(); i++) {
            armOfCell.put(cells.get(i).id(), i / perArm);
        }
        return CapacitySearches.defined(cell -> {
            int a = armOfCell.get(cell.id());
            Arm arm = arms.arms().get(a);
            return new CapacityCell("capacity-" + arm.key(), arm.label(), scenarios.get(a), options);
        });
    }
}
