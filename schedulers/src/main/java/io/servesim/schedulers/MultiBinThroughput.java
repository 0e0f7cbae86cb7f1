package io.servesim.schedulers;

/**
 * Saturated throughput of multi-bin batching with static batches, in closed form (Guldogan et al.,
 * 2024). Setting: batch size B, output lengths uniform on the integers {1 … L}, every iteration takes
 * the same time t, prompts of one token (a request of length ℓ occupies its batch for ℓ iterations),
 * and always a full batch waiting. A batch lasts as long as its longest request, so one batch of bin
 * {a … b} takes E[max of B draws from {a … b}] · t on average, and
 *
 * <pre>
 *   throughput(K) = B / (t · Σ_k w_k · E[max_k]),   w_k = (b_k − a_k + 1) / L,
 * </pre>
 *
 * with K equal-mass bins whose upper bounds are the quantiles Q(k/K) = ⌈k·L/K⌉. As K grows, E[max_k]
 * approaches the bin's lengths and the throughput rises toward B / (t · E[len]) = 2B / (t·(L + 1)).
 */
public final class MultiBinThroughput {
    private MultiBinThroughput() {
    }

    /** E[max of B iid uniform draws from {a … b}] = b − Σ_{k=a}^{b−1} ((k − a + 1) / (b − a + 1))^B. */
    public static double expectedMaxOfUniform(int a, int b, int batchSize) {
        if (a > b) {
            throw new IllegalArgumentException("empty range {" + a + " … " + b + "}");
        }
        double n = b - a + 1;
        double sum = 0;
        for (int k = a; k < b; k++) {
            sum += Math.pow((k - a + 1) / n, batchSize);
        }
        return b - sum;
    }

    /** The upper bound of bin k (0-based) of K equal-mass bins over {1 … L}: Q((k+1)/K) = ⌈(k+1)·L/K⌉. */
    public static int binUpperBound(int bin, int bins, int maxTokens) {
        return (int) Math.ceil((double) (bin + 1) * maxTokens / bins);
    }

    /** Requests per second of K-bin static batching at saturation (formula above). */
    public static double saturatedRequestsPerSecond(int batchSize, int maxTokens, int bins, double iterationSeconds) {
        double meanBatchIterations = 0;
        int lower = 1;
        for (int k = 0; k < bins; k++) {
            int upper = binUpperBound(k, bins, maxTokens);
            if (upper >= lower) {
                double weight = (upper - lower + 1) / (double) maxTokens;
                meanBatchIterations += weight * expectedMaxOfUniform(lower, upper, batchSize);
                lower = upper + 1;
            }
        }
        return batchSize / (iterationSeconds * meanBatchIterations);
    }

    /** The limit K → ∞: no batch waits for a longer request, B / (t · (L + 1) / 2). */
    public static double idealRequestsPerSecond(int batchSize, int maxTokens, double iterationSeconds) {
        return batchSize / (iterationSeconds * (maxTokens + 1) / 2.0);
    }
}
