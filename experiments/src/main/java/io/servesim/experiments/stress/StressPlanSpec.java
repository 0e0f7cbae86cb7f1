package io.servesim.experiments.stress;

import io.servesim.core.config.ConfigException;
import io.servesim.experiments.plan.CapacitySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The axes of the 3-step stress plan, as the {@code plan:} section of {@code --config} states them and the
 * flags override them (snake_case keys; omitted keys take the defaults below). {@code config.json} records the
 * effective spec, so a run can be repeated exactly.
 *
 * <p>Caps: with {@code max_requests} N the request ladder is its counts below N, then N itself (1K, 10K, …
 * capped at 2,000 gives 1K and 2K; at 5M it gives 1K … 1M and 5M), and steps 2 and 3 run at N — the largest
 * count of the ladder. {@code max_gpus} shapes the GPU ladder of step 2 the same way (8 gives 1, 2, 4, 8).
 *
 * @param requests      request counts of step 1 (default 1K, 10K, 100K, 1M)
 * @param step1         configurations of step 1 (default static and dynamic on 1 GPU, multi_bin on 1, 2, 4)
 * @param gpus          GPU counts of step 2 (default 1, 2, 4, 8, 16, 32, 64, 100)
 * @param kBins         K values of step 3 (default 1, 2, 4, 8, 16, 32)
 * @param bins          K of multi-bin batching in steps 1 and 2 (default 4)
 * @param rpsScale      arrival-rate multiplier of the workload (default 200)
 * @param replications  runs per cell, each with its own seed (default 1)
 * @param seed          plan seed every cell's seed derives from (default 42)
 * @param maxRequests   cap of the request ladder (default none)
 * @param maxGpus       cap of the GPU ladder (default none)
 * @param bestGpuCount  GPU count of step 3 (default: detected from step 2)
 * @param capacity      capacity searches, one per distinct configuration ({@code --capacity}); null (the default):
 *                      none, and the rows have no capacity columns
 */
public record StressPlanSpec(List<Long> requests, List<Step1Configuration> step1, List<Integer> gpus, List<Integer> kBins,
                             Integer bins, Double rpsScale, Integer replications, Long seed, Long maxRequests,
                             Integer maxGpus, Integer bestGpuCount, CapacitySpec capacity) {
    public StressPlanSpec {
        requests = requests == null ? List.of(1_000L, 10_000L, 100_000L, 1_000_000L) : List.copyOf(requests);
        step1 = step1 == null ? Step1Configuration.defaults() : List.copyOf(step1);
        gpus = gpus == null ? List.of(1, 2, 4, 8, 16, 32, 64, 100) : List.copyOf(gpus);
        kBins = kBins == null ? List.of(1, 2, 4, 8, 16, 32) : List.copyOf(kBins);
        bins = bins == null ? 4 : bins;
        rpsScale = rpsScale == null ? 200.0 : rpsScale;
        replications = replications == null ? 1 : replications;
        seed = seed == null ? 42L : seed;
        ConfigException.require(!requests.isEmpty() && requests.stream().allMatch(n -> n >= 1), "requests",
                "must be a non-empty list of counts >= 1", requests);
        ConfigException.require(!step1.isEmpty(), "step1", "must not be empty", step1);
        ConfigException.require(!gpus.isEmpty() && gpus.stream().allMatch(g -> g >= 1), "gpus",
                "must be a non-empty list of counts >= 1", gpus);
        ConfigException.require(!kBins.isEmpty() && kBins.stream().allMatch(k -> k >= 1), "k_bins",
                "must be a non-empty list of values >= 1", kBins);
        ConfigException.require(bins >= 1, "bins", "must be >= 1", bins);
        ConfigException.require(rpsScale > 0 && Double.isFinite(rpsScale), "rps_scale", "must be > 0", rpsScale);
        ConfigException.require(replications >= 1, "replications", "must be >= 1", replications);
        ConfigException.require(maxRequests == null || maxRequests >= 1, "max_requests", "must be >= 1", maxRequests);
        ConfigException.require(maxGpus == null || maxGpus >= 1, "max_gpus", "must be >= 1", maxGpus);
        ConfigException.require(bestGpuCount == null || bestGpuCount >= 1, "best_gpu_count", "must be >= 1", bestGpuCount);
        if (bestGpuCount != null) {
            int largest = capped(gpus, maxGpus == null ? null : maxGpus.longValue()).stream()
                    .mapToInt(Long::intValue).max().orElseThrow();
            ConfigException.require(bestGpuCount <= largest, "best_gpu_count",
                    "must be at most the largest GPU count of step 2 (" + largest + ")", bestGpuCount);
        }
    }

    /** Every default. */
    public static StressPlanSpec defaults() {
        return new StressPlanSpec(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The request counts of step 1 after {@code max_requests}, ascending. */
    public List<Long> requestLadder() {
        return capped(requests, maxRequests);
    }

    /** The request count of steps 2 and 3: the largest of the capped ladder. */
    public long largestRequests() {
        List<Long> ladder = requestLadder();
        return ladder.get(ladder.size() - 1);
    }

    /** The GPU counts of step 2 after {@code max_gpus}, ascending. */
    public List<Integer> gpuLadder() {
        return capped(gpus, maxGpus == null ? null : maxGpus.longValue()).stream().map(Long::intValue).toList();
    }

    /** The K values of step 3, ascending and distinct. */
    public List<Integer> kLadder() {
        return List.copyOf(new TreeSet<>(kBins));
    }

    /** The same spec with the flags that were given (null = keep). */
    public StressPlanSpec with(Double newRpsScale, Integer newReplications, Long newSeed, Long newMaxRequests,
                               Integer newMaxGpus, Integer newBestGpuCount) {
        return new StressPlanSpec(requests, step1, gpus, kBins, bins,
                newRpsScale != null ? newRpsScale : rpsScale,
                newReplications != null ? newReplications : replications,
                newSeed != null ? newSeed : seed,
                newMaxRequests != null ? newMaxRequests : maxRequests,
                newMaxGpus != null ? newMaxGpus : maxGpus,
                newBestGpuCount != null ? newBestGpuCount : bestGpuCount, capacity);
    }

    /** The same spec with capacity searches as {@code newCapacity} states them (null: none). */
    public StressPlanSpec withCapacity(CapacitySpec newCapacity) {
        return new StressPlanSpec(requests, step1, gpus, kBins, bins, rpsScale, replications, seed, maxRequests, maxGpus,
                bestGpuCount, newCapacity);
    }

    /** The values below {@code cap} and the cap itself, ascending; all values when there is no cap. */
    static List<Long> capped(List<? extends Number> values, Long cap) {
        TreeSet<Long> ladder = new TreeSet<>();
        for (Number value : values) {
            if (cap == null || value.longValue() < cap) {
                ladder.add(value.longValue());
            }
        }
        if (cap != null) {
            ladder.add(cap);
        }
        return new ArrayList<>(ladder);
    }
}
