package io.servesim.experiments.plan;

import io.servesim.experiments.scenario.Scenario;
import io.servesim.schedulers.SchedulerSpec;
import io.servesim.workloads.WorkloadSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One capacity search per distinct configuration of a plan's cells. Capacity under SLA is a property of the
 * configuration — deployment, engine, scheduler and its parameters, router, workload shape — not of how many
 * requests a cell runs: the cells that differ only by their request count (step 1's ladder, and the cells that
 * steps 1, 2 and 3 have in common) share one search, whose probes last {@link CapacitySpec#probeSeconds()} seconds of arrivals (or
 * {@link CapacitySpec#requests()} requests).
 * Each replication has its own search, so that the analysis can put a confidence interval on the capacity.
 *
 * <p>A search's id names its configuration: {@code capacity-<scheduler>[-k<K>][-static<B>]-g<gpus>[-tp<t>-pp<p>][-ep<e>][-skew<s>]-<router>-r<replication>};
 * its seed is {@link CellSeeds#seed(long, io.servesim.workloads.WorkloadSpec, int)} of the plan seed, the probe
 * workload and the replication, so it depends on nothing else (not on which cell asked first, nor on the threads),
 * and every search of a replication probes with the same requests (common random numbers).
 */
public final class CapacitySearches {
    private final CapacitySpec spec;
    private final long planSeed;
    private final Double startRpsScale;
    private final Function<Cell, CapacityCell> named;

    public CapacitySearches(CapacitySpec spec, long planSeed) {
        this(spec, planSeed, null);
    }

    /**
     * Searches that all start at {@code startRpsScale} instead of their cells' own rps_scale, so that cells of one
     * configuration at different loads (a study's load axis) share one search; null starts at the cells' scale.
     */
    public CapacitySearches(CapacitySpec spec, long planSeed, Double startRpsScale) {
        this(spec, planSeed, startRpsScale, null);
    }

    private CapacitySearches(CapacitySpec spec, long planSeed, Double startRpsScale, Function<Cell, CapacityCell> named) {
        this.spec = spec;
        this.planSeed = planSeed;
        this.startRpsScale = startRpsScale;
        this.named = named;
    }

    /**
     * Searches that the caller defines cell by cell — id, scenario (seed and probe length included) and options — for
     * plans whose axes are config keys the ids above do not name (a sweep's {@code --set} axes); {@link #spec()} is
     * then null.
     */
    public static CapacitySearches defined(Function<Cell, CapacityCell> searchOfCell) {
        return new CapacitySearches(null, 0, null, searchOfCell);
    }

    /** The spec of the searches, or null for {@link #defined} searches. */
    public CapacitySpec spec() {
        return spec;
    }

    /** The search of {@code cell}'s configuration. */
    public CapacityCell of(Cell cell) {
        if (named != null) {
            return named.apply(cell);
        }
        Scenario scenario = cell.scenario();
        int tp = scenario.deployment().tp();
        int pp = scenario.deployment().pp();
        int ep = scenario.deployment().ep();
        Double skew = scenario.deployment().routingSkew();
        String id = "capacity-" + scenario.scheduling().scheduler().typeName()
                + (cell.kBins() == null ? "" : "-k" + cell.kBins())
                + (scenario.scheduling().scheduler() instanceof SchedulerSpec.MultiBin multiBin
                        && multiBin.batching() instanceof SchedulerSpec.Static inner ? "-static" + inner.batchSize() : "")
                + "-g" + cell.gpus()
                + (tp * pp == 1 ? "" : "-tp" + tp + "-pp" + pp)
                + (ep == 1 ? "" : "-ep" + ep)
                + (skew == null ? "" : "-skew" + skew)
                + "-" + scenario.scheduling().router().typeName()
                + "-r" + cell.replication();
        WorkloadSpec workload = spec.requests() != null ? scenario.workload().withRequests(spec.requests())
                : scenario.workload().withDurationSeconds(spec.probeSeconds());
        if (startRpsScale != null) {
            workload = workload.withRpsScale(startRpsScale);
        }
        Scenario probe = scenario.withWorkload(workload).withSeed(CellSeeds.seed(planSeed, workload, cell.replication()));
        return new CapacityCell(id, cell.label(), probe, spec.options());
    }

    /**
     * The distinct searches of {@code cells}, in the order of their first cell. Two cells whose configurations
     * differ but would share an id (a plan varying something the id does not name) are a programming error.
     */
    public List<CapacityCell> distinct(List<Cell> cells) {
        Map<String, CapacityCell> searches = new LinkedHashMap<>();
        for (Cell cell : cells) {
            CapacityCell search = of(cell);
            CapacityCell known = searches.putIfAbsent(search.id(), search);
            if (known != null && !known.scenario().equals(search.scenario())) {
                throw new IllegalArgumentException("cells of different configurations share the capacity search "
                        + search.id() + " (cell " + cell.id() + ")");
            }
        }
        return new ArrayList<>(searches.values());
    }
}
