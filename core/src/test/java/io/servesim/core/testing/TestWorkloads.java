package io.servesim.core.testing;

import io.servesim.core.workload.Sla;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToIntFunction;

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
        return poisson(seed, count, rate, random -> random.nextInt(promptMin, promptMax + 1),
                random -> random.nextInt(outMin, outMax + 1), ONE_PROFILE,
                q -> outMin - 1 + Math.ceil(q * (outMax - outMin + 1)));
    }

    /**
     * {@code count} Poisson arrivals at {@code rate}; each request draws, in this order, its arrival gap, its prompt
     * length, its output length and (with several profiles) its profile, uniformly.
     */
    public static WorkloadSource poisson(long seed, int count, double rate, ToIntFunction<SplittableRandom> prompt,
                                         ToIntFunction<SplittableRandom> output, List<ProfileInfo> profiles,
                                         DoubleUnaryOperator outputQuantile) {
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
                int promptTokens = prompt.applyAsInt(random);
                int outputTokens = output.applyAsInt(random);
                int profile = profiles.size() == 1 ? 0 : random.nextInt(profiles.size());
                return new RequestSpec(next++, time, promptTokens, outputTokens, profile, -1, 0);
            }

            @Override
            public List<ProfileInfo> profiles() {
                return profiles;
            }

            @Override
            public double outputTokensQuantile(double q) {
                return outputQuantile.applyAsDouble(q);
            }
        };
    }
}
