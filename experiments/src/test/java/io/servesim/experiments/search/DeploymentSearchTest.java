package io.servesim.experiments.search;

import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.capacity.CapacityOptions;
import io.servesim.experiments.capacity.CapacityResult;
import io.servesim.experiments.capacity.CapacitySearch;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.search.CandidateResult.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small search (Llama-2-7B on A100-80GB and H100-SXM, tp 1 or 2, up to 3 replicas, 600 requests per probe) whose
 * target of 160 req/s prunes candidates on their throughput bound and on cost, and simulates the rest.
 */
class DeploymentSearchTest {
    private static final String BASE = """
            seed: 5
            deployment: {model: Llama-2-7B}
            workload:
              requests: 600
              profiles:
                - name: chat
                  rate_per_second: 5
                  prompt: {type: uniform, min: 50, max: 400}
                  output: {type: uniform, min: 20, max: 60}
                  sla: {ttft_seconds: 0.5, tpot_seconds: 0.05}
            """;
    private static final double TARGET_RPS = 160;
    private static final SearchSpace SPACE = new SearchSpace(List.of("A100-80GB", "H100-SXM"), List.of(1, 2), List.of(1),
            List.of(1), 3, List.of("continuous"), List.of(new BatchLimit(256, 8192)), List.of(false));
    private static final CapacityOptions CAPACITY = new CapacityOptions(0.9, 0.02, 600L, null, 30);

    private static Scenario base;
    private static List<CandidateResult> results;

    @BeforeAll
    static void search(@TempDir Path dir) throws Exception {
        base = Scenario.read(Files.writeString(dir.resolve("base.yaml"), BASE));
        results = run(2);
    }

    private static List<CandidateResult> run(int threads) {
        return new DeploymentSearch(base, SPACE, GpuPrices.load(Optional.empty()),
                new SearchSettings(TARGET_RPS, CAPACITY, threads), false).run(wave -> { });
    }

    @Test
    void everyCandidateIsAccountedForOnceInSpaceOrder() {
        assertThat(results).hasSize(12);
        assertThat(results).extracting(CandidateResult::id).doesNotHaveDuplicates();
        assertThat(results.get(0).id()).isEqualTo("A100-80GB.tp1.pp1.ep1.continuous.s256.t8192.whole.r1");
        assertThat(results).filteredOn(c -> c.verdict() == Verdict.PRUNED_THROUGHPUT_BOUND).isNotEmpty();
        assertThat(results).filteredOn(CandidateResult::simulated).hasSizeGreaterThan(3);
    }

    @Test
    void noCandidatePrunedOnItsBoundCanServeTheTarget() {
        for (CandidateResult pruned : results.stream().filter(c -> c.verdict() == Verdict.PRUNED_THROUGHPUT_BOUND).toList()) {
            CapacityResult cold = CapacitySearch.find(pruned.shape().scenario(base, pruned.replicas()), CAPACITY);
            assertThat(cold.capacityRps()).as(pruned.id()).isLessThan(TARGET_RPS);
            assertThat(cold.capacityRps()).as(pruned.id()).isLessThanOrEqualTo(pruned.boundRps());
        }
    }

    @Test
    void noSimulatedCapacityExceedsItsBoundEvenWhenEveryCandidateIsSimulated() {
        List<CandidateResult> all = new DeploymentSearch(base, SPACE, GpuPrices.load(Optional.empty()),
                new SearchSettings(TARGET_RPS, CAPACITY, 2), true).run(wave -> { });
        assertThat(all).filteredOn(CandidateResult::simulated).hasSizeGreaterThan(8);
        for (CandidateResult c : all.stream().filter(CandidateResult::simulated).toList()) {
            assertThat(c.capacityRps()).as(c.id()).isLessThanOrEqualTo(c.boundRps());
        }
    }

    @Test
    void theRecommendationIsTheCheapestThatMeetsTheTargetAndASeparateCapacitySearchAgreesWithinTheTolerance() {
        SearchReport report = new SearchReport(results, TARGET_RPS, 40);
        CandidateResult best = report.recommendation().orElseThrow();
        for (CandidateResult c : results) {
            if (c.meets(TARGET_RPS)) {
                assertThat(c.usdPerHour()).isGreaterThanOrEqualTo(best.usdPerHour());
            }
        }
        // The search started warm; a cold search (the `capacity` command's) brackets the same threshold.
        CapacityResult recheck = CapacitySearch.find(best.shape().scenario(base, best.replicas()), CAPACITY);
        assertThat(recheck.capacityRps()).isCloseTo(best.capacityRps(),
                org.assertj.core.data.Percentage.withPercentage(100 * CAPACITY.relativeTolerance()));
        assertThat(recheck.capacityRps()).isGreaterThanOrEqualTo(TARGET_RPS);
    }

    @Test
    void theSameSeedGivesTheSameFilesWhateverTheThreads(@TempDir Path dir) throws Exception {
        SearchReport serial = new SearchReport(run(1), TARGET_RPS, 40);
        SearchReport parallel = new SearchReport(results, TARGET_RPS, 40);
        serial.write(dir.resolve("serial"), base, Map.of("seed", base.seed()));
        parallel.write(dir.resolve("parallel"), base, Map.of("seed", base.seed()));
        for (String file : List.of(SearchReport.CANDIDATES, SearchReport.PARETO_COST, SearchReport.PARETO_LATENCY,
                SearchReport.SUMMARY, SearchReport.RECOMMENDED)) {
            assertThat(Files.readAllBytes(dir.resolve("serial").resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(dir.resolve("parallel").resolve(file)));
        }
        Scenario recommended = Scenario.read(dir.resolve("serial").resolve(SearchReport.RECOMMENDED));
        assertThat(recommended.deployment().replicas()).isEqualTo(serial.recommendation().orElseThrow().replicas());
        assertThat(ConfigMapper.json().readTree(dir.resolve("serial").resolve(SearchReport.SUMMARY).toFile())
                .get("verdicts").get("simulated").asLong()).isEqualTo(results.stream().filter(CandidateResult::simulated).count());
    }

    @Test
    void maximisingFindsTheHighestCapacityAndPrunesOnlyCandidatesWhoseBoundIsBelowIt() {
        List<CandidateResult> pruned = maximise(Double.POSITIVE_INFINITY, false);
        List<CandidateResult> every = maximise(Double.POSITIVE_INFINITY, true);
        assertThat(every).allMatch(c -> c.simulated() || c.verdict() == Verdict.PRUNED_MEMORY);
        double highest = every.stream().filter(CandidateResult::simulated).mapToDouble(CandidateResult::capacityRps).max()
                .orElseThrow();
        // the chains run in the same order, so the searches the pruned run kept are the very searches of the full run
        CandidateResult best = new SearchReport(pruned, Double.NaN, true, 40).recommendation().orElseThrow();
        assertThat(best.capacityRps()).isEqualTo(highest);
        assertThat(pruned).filteredOn(c -> c.verdict() == Verdict.PRUNED_THROUGHPUT_BOUND).isNotEmpty()
                .allSatisfy(c -> assertThat(c.boundRps()).as(c.id()).isLessThan(highest));
        for (int i = 0; i < pruned.size(); i++) {
            CandidateResult c = pruned.get(i);
            if (c.simulated()) {
                assertThat(c.capacityRps()).as(c.id()).isEqualTo(every.get(i).capacityRps());
                assertThat(c.boundRps()).as(c.id()).isGreaterThanOrEqualTo(highest);
            }
        }
    }

    @Test
    void aBudgetPrunesTheDearerCandidatesAndTheHighestCapacityIsFoundAmongTheOthers() {
        double budget = 8;   // an H100-SXM costs 3.95 USD per hour (bundled prices): two of them fit, three do not
        List<CandidateResult> within = maximise(budget, false);
        assertThat(within).filteredOn(c -> c.usdPerHour() > budget)
                .isNotEmpty().allMatch(c -> c.verdict() == Verdict.PRUNED_COST);
        CandidateResult best = new SearchReport(within, Double.NaN, true, 40).recommendation().orElseThrow();
        assertThat(best.usdPerHour()).isLessThanOrEqualTo(budget);
        assertThat(within).filteredOn(c -> c.simulated()).allMatch(c -> c.capacityRps() <= best.capacityRps());
    }

    private static List<CandidateResult> maximise(double budget, boolean exhaustive) {
        return new DeploymentSearch(base, SPACE, GpuPrices.load(Optional.empty()),
                SearchSettings.maximising(budget, CAPACITY, 2), exhaustive).run(c -> { });
    }
}
