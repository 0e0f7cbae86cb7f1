package io.servesim.core.metrics;

import io.servesim.core.engine.Cluster;
import io.servesim.core.engine.ReplicaStats;
import io.servesim.core.engine.SimulationResult;

/**
 * The prefix cache's effect on a run: prompt tokens looked up and found cached, lookups with a hit, and the prefill
 * tokens actually computed — for the whole cluster and per engine. Hit rates are NaN when nothing was looked up.
 *
 * @param lookupTokens          Σ prompt tokens looked up at admissions (readmissions after a preemption included)
 * @param hitTokens             Σ of those found in the cache
 * @param lookups               admissions
 * @param lookupHits            admissions that found at least one cached block
 * @param prefillTokensComputed prompt tokens whose prefill was computed
 * @param tokenHitRatePerEngine hit tokens / lookup tokens of each engine
 */
public record PrefixCacheSummary(long lookupTokens, long hitTokens, long lookups, long lookupHits,
                                 long prefillTokensComputed, double[] tokenHitRatePerEngine) {

    public static PrefixCacheSummary of(SimulationResult result) {
        Cluster cluster = result.cluster();
        long lookupTokens = 0;
        long hitTokens = 0;
        long lookups = 0;
        long lookupHits = 0;
        long computed = 0;
        double[] perEngine = new double[cluster.replicaCount()];
        for (int i = 0; i < cluster.replicaCount(); i++) {
            ReplicaStats s = cluster.replica(i).stats();
            lookupTokens += s.prefixLookupTokens();
            hitTokens += s.prefixHitTokens();
            lookups += s.prefixLookups();
            lookupHits += s.prefixLookupHits();
            computed += s.prefillTokensComputed();
            perEngine[i] = ratio(s.prefixHitTokens(), s.prefixLookupTokens());
        }
        return new PrefixCacheSummary(lookupTokens, hitTokens, lookups, lookupHits, computed, perEngine);
    }

    /** Fraction of prompt tokens found cached. */
    public double tokenHitRate() {
        return ratio(hitTokens, lookupTokens);
    }

    /** Fraction of admissions that found at least one cached block. */
    public double requestHitRate() {
        return ratio(lookupHits, lookups);
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
