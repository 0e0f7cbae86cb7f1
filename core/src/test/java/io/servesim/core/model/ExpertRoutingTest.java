package io.servesim.core.model;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The closed forms of {@link ExpertRouting} against Monte Carlo draws: tokens pick k distinct experts, the draws are
 * counted, and the mean over trials is compared with the formula. Each trial count makes the standard error of the
 * mean well under the tolerance.
 */
class ExpertRoutingTest {
    private static final int[] EXPERTS = {8, 16, 64, 128, 256};
    private static final int[] PER_TOKEN = {1, 2, 4, 6, 8};
    private static final int[] TOKENS = {1, 2, 3, 8, 17, 64, 256, 1024, 4096};

    /** Draws T tokens' k-of-E choices (uniform) and returns the distinct experts, or the busiest rank's with n ranks. */
    private static final class UniformRouter {
        private final int[] order;
        private final int[] stamp;
        private int trial;
        private final SplittableRandom random;

        UniformRouter(int experts, long seed) {
            order = new int[experts];
            for (int e = 0; e < experts; e++) {
                order[e] = e;
            }
            stamp = new int[experts];
            random = new SplittableRandom(seed);
        }

        /** Marks the experts T tokens touch; returns how many are distinct. */
        int route(int perToken, int tokens) {
            trial++;
            int distinct = 0;
            for (int t = 0; t < tokens; t++) {
                // partial Fisher-Yates: the first k of a uniformly shuffled permutation are k distinct experts
                for (int i = 0; i < perToken; i++) {
                    int j = i + random.nextInt(order.length - i);
                    int chosen = order[j];
                    order[j] = order[i];
                    order[i] = chosen;
                    if (stamp[chosen] != trial) {
                        stamp[chosen] = trial;
                        distinct++;
                    }
                }
            }
            return distinct;
        }

        /** After {@link #route}: the most distinct experts on one rank, expert e on rank e mod n. */
        int busiestRank(int ranks) {
            int busiest = 0;
            for (int r = 0; r < ranks; r++) {
                int count = 0;
                for (int e = r; e < order.length; e += ranks) {
                    count += stamp[e] == trial ? 1 : 0;
                }
                busiest = Math.max(busiest, count);
            }
            return busiest;
        }
    }

    @Test
    void distinctExpertsFormulaAgreesWithMonteCarloWithinOnePercent() {
        // D(T) = E · (1 − (1 − k/E)^T) for T = 1…4096, E = 8…256, k = 1…8
        long seed = 17;
        for (int experts : EXPERTS) {
            for (int perToken : PER_TOKEN) {
                UniformRouter router = new UniformRouter(experts, seed++);
                for (int tokens : TOKENS) {
                    int trials = Math.max(50, 200_000 / (tokens * perToken));
                    double sum = 0;
                    for (int i = 0; i < trials; i++) {
                        sum += router.route(perToken, tokens);
                    }
                    double formula = ExpertRouting.distinctExperts(experts, perToken, tokens);
                    assertThat(sum / trials).as("E %d, k %d, T %d", experts, perToken, tokens)
                            .isCloseTo(formula, within(0.01 * formula));
                    assertThat(new ExpertRouting(experts, perToken, 0, 1).distinctExperts(tokens))
                            .isCloseTo(formula, within(1e-9 * formula));
                }
            }
        }
    }

    @Test
    void skewedRoutingFormulaAgreesWithMonteCarloWithinOnePercent() {
        // Madow's systematic sampling picks exactly k distinct experts with inclusion probabilities p_e, so
        // D(T) = Σ 1 − (1 − p_e)^T holds for it exactly
        SplittableRandom random = new SplittableRandom(5);
        for (double skew : new double[] {0.5, 1.0, 2.0}) {
            for (int[] ek : new int[][] {{8, 2}, {64, 6}, {128, 8}}) {
                ExpertRouting routing = new ExpertRouting(ek[0], ek[1], skew, 1);
                double[] p = ExpertRouting.inclusionProbabilities(ek[0], ek[1], skew);
                double[] cumulative = new double[p.length + 1];
                for (int e = 0; e < p.length; e++) {
                    cumulative[e + 1] = cumulative[e] + p[e];
                }
                for (int tokens : new int[] {1, 4, 32, 256, 2048}) {
                    int trials = Math.max(400, 200_000 / (tokens * ek[1]));
                    double sum = 0;
                    for (int i = 0; i < trials; i++) {
                        boolean[] touched = new boolean[p.length];
                        int distinct = 0;
                        for (int t = 0; t < tokens; t++) {
                            double u = random.nextDouble();
                            int e = 0;
                            for (int j = 0; j < ek[1]; j++) {
                                while (cumulative[e + 1] <= u + j) {
                                    e++;
                                }
                                if (!touched[e]) {
                                    touched[e] = true;
                                    distinct++;
                                }
                            }
                        }
                        sum += distinct;
                    }
                    double formula = routing.distinctExperts(tokens);
                    assertThat(sum / trials).as("skew %s, E %d, k %d, T %d", skew, ek[0], ek[1], tokens)
                            .isCloseTo(formula, within(0.01 * formula));
                }
            }
        }
    }

    @Test
    void busiestRankExpertsAgreeWithMonteCarloWithinFivePercent() {
        // the independent-binomial approximation of E[max_r D_r] (documented); uniform routing, expert e on rank e mod n
        long seed = 99;
        int[][] cases = {{8, 2, 2}, {8, 2, 4}, {8, 2, 8}, {64, 6, 8}, {128, 8, 4}, {128, 8, 8}, {256, 8, 8}, {256, 8, 32}};
        for (int[] c : cases) {
            ExpertRouting routing = new ExpertRouting(c[0], c[1], 0, c[2]);
            UniformRouter router = new UniformRouter(c[0], seed++);
            for (int tokens : new int[] {1, 2, 4, 8, 16, 64, 256}) {
                int trials = 3000;
                double sum = 0;
                for (int i = 0; i < trials; i++) {
                    router.route(c[1], tokens);
                    sum += router.busiestRank(c[2]);
                }
                double formula = routing.busiestRankExperts(tokens);
                assertThat(sum / trials).as("E %d, k %d, n %d, T %d", c[0], c[1], c[2], tokens)
                        .isCloseTo(formula, within(0.05 * formula));
            }
        }
    }

    @Test
    void uniformRoutingGivesEveryExpertKOverEAndNoImbalance() {
        double[] p = ExpertRouting.inclusionProbabilities(8, 2, 0);
        assertThat(p).containsOnly(0.25);
        ExpertRouting routing = new ExpertRouting(8, 2, 0, 4);
        assertThat(routing.busiestRankPairsPerToken()).isCloseTo(0.5, within(1e-12));   // k / n = 2 / 4
        assertThat(routing.imbalance()).isCloseTo(1, within(1e-12));
    }

    @Test
    void skewCapsTheHottestExpertsAtOneAndKeepsKPerToken() {
        // Zipf s = 3 on 8 experts, k = 2: weights 1, 1/8, 1/27, …; the first would get 2 · 1/1.195 > 1, so it is
        // capped at 1 and the other seven share the remaining 1
        double[] p = ExpertRouting.inclusionProbabilities(8, 2, 3);
        assertThat(p[0]).isEqualTo(1);
        double sum = 0;
        for (double v : p) {
            sum += v;
            assertThat(v).isBetween(0.0, 1.0);
        }
        assertThat(sum).isCloseTo(2, within(1e-12));
        assertThat(p[1] / p[2]).isCloseTo(27.0 / 8, within(1e-9));
    }

    @Test
    void skewLoadsTheBusiestRankMoreThanAnEvenShare() {
        // s = 1, 8 experts on 2 ranks: rank 0 holds popularity ranks 1, 3, 5, 7 (weights 1, 1/3, 1/5, 1/7),
        // rank 1 holds 1/2, 1/4, 1/6, 1/8: a = 2 · (1 + 1/3 + 1/5 + 1/7) / H_8 = 2 · 1.67619 / 2.71786 = 1.23346
        ExpertRouting routing = new ExpertRouting(8, 2, 1, 2);
        assertThat(routing.busiestRankPairsPerToken()).isCloseTo(1.23346, within(1e-5));
        assertThat(routing.imbalance()).isCloseTo(1.23346, within(1e-5));   // a · n / k
    }

    @Test
    void oneTokenPutsAtLeastCeilKOverNExpertsOnTheBusiestRank() {
        // Mixtral with one expert per rank: one token touches 2 experts, so some rank reads a whole expert
        assertThat(new ExpertRouting(8, 2, 0, 8).busiestRankExperts(1)).isEqualTo(1);
        // and a saturated iteration touches every expert of every rank
        assertThat(new ExpertRouting(8, 2, 0, 4).busiestRankExperts(100_000)).isEqualTo(2);
    }

    @Test
    void sharedRoutingsAreThoseOfTheirOwnParameters() {
        // ExpertRouting.of shares one routing per (E, k, s, n) in the JVM: each must answer as a fresh one would
        int[][] shapes = {{8, 2, 4}, {8, 2, 2}, {16, 2, 4}, {8, 1, 4}};
        for (int[] shape : shapes) {
            for (double skew : new double[] {0, 1}) {
                ExpertRouting shared = ExpertRouting.of(shape[0], shape[1], skew, shape[2]);
                ExpertRouting fresh = new ExpertRouting(shape[0], shape[1], skew, shape[2]);
                assertThat(ExpertRouting.of(shape[0], shape[1], skew, shape[2])).isSameAs(shared);
                for (long tokens : new long[] {1, 3, 40, 5_000}) {
                    assertThat(shared.busiestRankExperts(tokens)).isEqualTo(fresh.busiestRankExperts(tokens));
                }
                assertThat(shared.busiestRankPairsPerToken()).isEqualTo(fresh.busiestRankPairsPerToken());
            }
        }
    }
}
