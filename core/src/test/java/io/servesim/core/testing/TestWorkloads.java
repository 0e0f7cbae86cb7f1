package io.servesim.core.testing;

import io.servesim.core.metrics.Sla;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;

import java.util.List;
import java.util.SplittableRandom;

/** Seeded random workloads for engine and scheduler tests (shared with other modules' tests). */
public final class TestWorkloads {
    public static final List<ProfileInfo> ONE_PROFILE = List.of(new ProfileInfo("test", Sla.DEFAULT));

    private TestWorkloads() {
    }

    /**
     * {@code count} Poisson arrivals at {@code rate}, prompt and output lengths uniform on the given integer
     * ranges; the output quantile is that of the discrete uniform on {outMin … outMax}.
     */
    public static WorkloadSource poisson(long seed, int count, double rate, int promptMin, int promptMax, int outMin,
                                         int outMax) {
        SplittableRandom random = new SplittableRandom(seed);
        return new WorkloadSource() {
            int next;
            double time;

            @Override
            public RequestSpec next() {
                if (next == count) {
                    return null;
                }
                time += -Math.log(1 - random.nextDouble()) / rate;
                int prompt = random.nextInt(promptMin, promptMax + 1);
                int output = random.nextInt(outMin, outMax + 1);
                return new RequestSpec(next++, time, prompt, output, 0, -1, 0);
            }

            @Override
            public List<ProfileInfo> profiles() {
                return ONE_PROFILE;
            }

            @Override
            public double outputTokensQuantile(double q) {
                return outMin - 1 + Math.ceil(q * (outMax - outMin + 1));
            }
        };
    }
}
