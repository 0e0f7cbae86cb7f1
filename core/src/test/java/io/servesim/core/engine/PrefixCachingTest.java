package io.servesim.core.engine;

import io.servesim.core.model.AffineStepTimeModel;
import io.servesim.core.sched.ContinuousBatchingScheduler;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.testing.ContextDependentModel;
import io.servesim.core.testing.RandomScenario;
import io.servesim.core.testing.RunFingerprint;
import io.servesim.core.testing.TestWorkloads;
import io.servesim.core.workload.ListWorkloadSource;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PrefixCachingTest {

    private static SimulationResult run(int replicas, ReplicaConfig config, io.servesim.core.model.StepTimeModel model,
                                        WorkloadSource workload, boolean fast) {
        List<ReplicaSetup> setups = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            setups.add(new ReplicaSetup(config, model, new ContinuousBatchingScheduler()));
        }
        return new Simulation(setups, new RoundRobinRouter(), workload,
                SimulationOptions.DEFAULT.withFastForward(fast)).run();
    }

    /** N requests, each of one of P system prompts (S tokens) and its own question (Q tokens), in random order. */
    private static List<RequestSpec> sharedPrefix(long seed, int n, int prompts, int s, int q, int output, double gap) {
        SplittableRandom random = new SplittableRandom(seed);
        List<RequestSpec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new RequestSpec(i, i * gap, s + q, output, 0, -1, 0, random.nextInt(prompts), s));
        }
        return out;
    }

    private static ReplicaConfig config(int blocks) {
        return new ReplicaConfig(64, 8192, false, 4096, blocks, 16, 1 << 20, 1 << 20, Double.POSITIVE_INFINITY, true);
    }

    @Test
    void tokenHitRateIsOneMinusPromptsOverRequestsTimesTheSharedFraction() {
        // N = 4000 requests over P = 40 prompts of S = 512 tokens, questions of Q = 128 tokens, KV for all prompts:
        // every prompt's first request misses, each later one finds its S tokens cached:
        // hit rate = (N − P)·S / (N·(S + Q)) = (1 − 40/4000) · 512/640 = 0.792.
        int n = 4000;
        int p = 40;
        List<RequestSpec> requests = sharedPrefix(1, n, p, 512, 128, 8, 0.05);
        SimulationResult r = run(1, config(20_000), AffineStepTimeModel.constant(0.01),
                new ListWorkloadSource(requests, TestWorkloads.ONE_PROFILE), true);
        ReplicaStats stats = r.cluster().replica(0).stats();
        double expected = (1 - (double) p / n) * 512 / (512 + 128);
        assertThat((double) stats.prefixHitTokens() / stats.prefixLookupTokens()).isCloseTo(expected,
                within(0.005 * expected));
        assertThat(stats.prefillTokensComputed()).isEqualTo(stats.prefixLookupTokens() - stats.prefixHitTokens());
    }

    @Test
    void withKvSmallerThanTheWorkingSetTheHitRateIsThatOfAnLruOfTheSameBlocks() {
        // One request at a time (each ends long before the next arrives), prompts of S = 200 (12 full blocks, the
        // 13th shared block is partial) + Q = 40, output 30; 60 system prompts × 12 blocks = 720 blocks of working
        // set against a cache of 300 blocks. The model: an LRU of block identities where a running request holds
        // its blocks (its hits leave the LRU, and the LRU keeps at most total − held entries), and on completion
        // its full blocks (prompt and output but the last token) join the LRU's recent end in chain order.
        int total = 300;
        int s = 200;
        int q = 40;
        int out = 30;
        List<RequestSpec> requests = sharedPrefix(7, 3000, 60, s, q, out, 100.0);
        SimulationResult r = run(1, config(total), AffineStepTimeModel.constant(0.001),
                new ListWorkloadSource(requests, TestWorkloads.ONE_PROFILE), true);

        LinkedHashMap<String, Boolean> lru = new LinkedHashMap<>(16, 0.75f, false);
        long hitTokens = 0;
        for (RequestSpec spec : requests) {
            int prompt = spec.promptTokens();
            int tokensInKv = prompt + spec.outputTokens() - 1;
            int fullBlocks = tokensInKv / 16;
            int held = (tokensInKv + 15) / 16;
            int hit = 0;
            while (hit < (prompt - 1) / 16 && lru.containsKey(identity(spec, hit))) {
                hit++;
            }
            hitTokens += hit * 16L;
            for (int i = 0; i < hit; i++) {
                lru.remove(identity(spec, i));
            }
            while (lru.size() > total - held) {
                lru.remove(lru.keySet().iterator().next());
            }
            for (int i = 0; i < fullBlocks; i++) {
                String id = identity(spec, i);
                lru.remove(id);
                lru.put(id, true);
            }
        }
        ReplicaStats stats = r.cluster().replica(0).stats();
        assertThat(stats.prefixEvictions()).isPositive();
        assertThat(stats.prefixHitTokens()).isEqualTo(hitTokens);
    }

    @Test
    void aPreemptedRequestFindsTheBlocksItComputedWhenReadmitted() {
        // 10 blocks of 16 tokens, no shared prefix, no session. Request 0: prompt 16, output 40; request 1: prompt 64,
        // output 40; both prefill at t = 0. After 33 decode steps request 0 holds 16 + 33 = 49 tokens (4 blocks) and
        // request 1 needs 64 + 33 = 97 (7 blocks): 11 > 10, so request 1, the later admitted, is preempted with
        // 96 tokens computed: its 6 full blocks stay cached, and no block is taken while request 0 finishes in its
        // 4 blocks (55 tokens at the end). Readmitted with 97 tokens to prefill, request 1 finds the 6 blocks:
        // 96 hit tokens, though no other request shares its tokens.
        List<RequestSpec> requests = List.of(new RequestSpec(0, 0.0, 16, 40, 0, -1, 0),
                new RequestSpec(1, 0.0, 64, 40, 0, -1, 0));
        SimulationResult r = run(1, config(10), AffineStepTimeModel.constant(0.01),
                new ListWorkloadSource(requests, TestWorkloads.ONE_PROFILE), true);
        ReplicaStats stats = r.cluster().replica(0).stats();
        assertThat(r.requests().preemptions(1)).isEqualTo(1);
        assertThat(r.requests().outcome(1)).isEqualTo(Outcome.COMPLETED);
        assertThat(stats.prefixHitTokens()).isEqualTo(96);
        assertThat(stats.prefixEvictions()).isZero();
    }

    private static String identity(RequestSpec spec, int block) {
        return (block + 1) * 16 <= spec.prefixTokens() ? "p" + spec.prefixId() + ":" + block : "r" + spec.id() + ":" + block;
    }

    @RepeatedTest(8)
    void fastForwardStaysExactWithPrefixCaching(RepetitionInfo info) {
        // Random limits (few KV blocks, so preemption and eviction), shared prefixes and sessions: stepped and
        // jumped runs give the same bytes, and the jumped run really jumps.
        RandomScenario c = RandomScenario.draw(5000L + info.getCurrentRepetition());
        ReplicaConfig config = c.config().withPrefixCaching(true);
        SimulationResult fast = run(c.replicas(), config, c.model(), workload(c.workloadSeed()), true);
        SimulationResult stepped = run(c.replicas(), config, c.model(), workload(c.workloadSeed()), false);
        RunFingerprint.assertBitIdentical(fast, stepped);
        long hits = 0;
        for (int i = 0; i < fast.cluster().replicaCount(); i++) {
            assertThat(fast.cluster().replica(i).stats().prefixHitTokens())
                    .isEqualTo(stepped.cluster().replica(i).stats().prefixHitTokens());
            hits += fast.cluster().replica(i).stats().prefixHitTokens();
        }
        assertThat(hits).isPositive();
        assertThat(fast.events()).isLessThan(stepped.events());
    }

    /** 1,500 requests: a third share one of 5 prefixes, a third are turns of 40 sessions, the rest unique. */
    private static WorkloadSource workload(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<RequestSpec> out = new ArrayList<>();
        int[] history = new int[40];
        int[] turns = new int[40];
        double t = 0;
        for (int i = 0; i < 1500; i++) {
            t += -Math.log(1 - random.nextDouble()) / 30;
            int output = 1 + random.nextInt(300);
            switch (random.nextInt(3)) {
                case 0 -> {
                    int prefix = 16 * (1 + random.nextInt(30));
                    out.add(new RequestSpec(i, t, prefix + 1 + random.nextInt(200), output, 0, -1, 0,
                            random.nextInt(5), prefix));
                }
                case 1 -> {
                    int session = random.nextInt(40);
                    int prompt = Math.min(3000, history[session] + 1 + random.nextInt(100));
                    out.add(new RequestSpec(i, t, prompt, output, 0, session, turns[session]++));
                    history[session] = Math.min(3000, prompt + output);
                }
                default -> out.add(new RequestSpec(i, t, 1 + random.nextInt(900), output, 0, -1, 0));
            }
        }
        return new ListWorkloadSource(out, TestWorkloads.ONE_PROFILE);
    }
}
