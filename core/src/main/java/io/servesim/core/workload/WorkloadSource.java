package io.servesim.core.workload;

import java.util.List;

/**
 * The traffic of a run: requests in arrival order, produced lazily (a 1M-request workload
 * never sits in a list). A source is single-use and not thread-safe; each run builds its own
 * from the run's seed.
 */
public interface WorkloadSource {

    /** The next request in arrival order, or {@code null} when the workload is exhausted. */
    RequestSpec next();

    /** The client profiles; {@link RequestSpec#profile()} indexes this list. Never empty. */
    List<ProfileInfo> profiles();

    /**
     * The q-quantile (0 &lt; q &lt; 1) of the output-length distribution of the whole mix, in tokens.
     * Schedulers use it to bin requests by predicted length and to budget memory.
     */
    double outputTokensQuantile(double q);
}
