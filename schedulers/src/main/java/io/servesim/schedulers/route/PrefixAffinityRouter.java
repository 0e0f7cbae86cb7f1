package io.servesim.schedulers.route;

import io.servesim.core.sched.ClusterView;
import io.servesim.core.sched.RequestView;
import io.servesim.core.sched.Router;

import java.util.Arrays;

/**
 * Prefix affinity (cache-aware routing, as llm-d's prefix scorer and SGLang's router do it): send a request where the
 * longest part of its prompt is likely cached, unless that replica is much busier than the others.
 *
 * <p>The router keeps its own record of what it sent where, not the replicas' caches: for each shared prefix the
 * replicas it was sent to, and for each session the replica and the prompt + output tokens of its last turn (the
 * history the next turn starts with). A request's match on replica r is the longest of its shared prefix (if the
 * prefix was sent to r) and its session's history (if the last turn went to r), capped at its prompt. The record
 * forgets nothing (a replica's cache may have evicted what the record still lists), and it depends only on the
 * requests routed, never on engine state, so a fast-forwarded run routes exactly like a stepped one.
 *
 * <p>Score of replica r, highest wins (ties to the lower load, then the lower index):
 * <pre>
 *   score(r) = match(r) / prompt − loadWeight · load(r) / (mean load + prompt + output)
 * </pre>
 * where load is the replica's outstanding tokens (as {@link LeastLoadedRouter} uses). With loadWeight 0.5, a full
 * match is given up when its replica carries about twice the mean load more than another replica.
 */
public final class PrefixAffinityRouter implements Router {
    private final double loadWeight;
    private final LongIntTable prefixRow = new LongIntTable();
    private final LongIntTable sessionRow = new LongIntTable();
    /** Row of a prefix: one bit per replica it was sent to; {@code words} longs per row. */
    private long[] prefixReplicas = new long[0];
    private int words;
    private int[] sessionReplica = new int[64];
    private long[] sessionTokens = new long[64];

    public PrefixAffinityRouter(double loadWeight) {
        if (!(loadWeight >= 0)) {
            throw new IllegalArgumentException("loadWeight must be >= 0, got " + loadWeight);
        }
        this.loadWeight = loadWeight;
    }

    @Override
    public int route(int request, ClusterView cluster) {
        int replicas = cluster.replicaCount();
        if (words == 0) {
            words = (replicas + 63) >>> 6;
            prefixReplicas = new long[64 * words];
        }
        RequestView requests = cluster.replica(0).requests();
        int prompt = requests.promptTokens(request);
        long prefix = requests.prefixId(request);
        int prefixTokens = prefix < 0 ? 0 : Math.min(prompt, requests.prefixTokens(request));
        int prefixAt = prefix < 0 ? LongIntTable.ABSENT : prefixRow.get(prefix) * words;
        long session = requests.sessionId(request);
        int sessionAt = session < 0 ? LongIntTable.ABSENT : sessionRow.get(session);
        int sessionOn = sessionAt == LongIntTable.ABSENT ? -1 : sessionReplica[sessionAt];
        int sessionMatch = sessionAt == LongIntTable.ABSENT ? 0 : (int) Math.min(prompt, sessionTokens[sessionAt]);

        long total = 0;
        for (int r = 0; r < replicas; r++) {
            total += cluster.replica(r).outstandingTokens();
        }
        double scale = loadWeight / ((double) total / replicas + prompt + requests.outputTokens(request));
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        long bestLoad = Long.MAX_VALUE;
        for (int r = 0; r < replicas; r++) {
            int match = r == sessionOn ? sessionMatch : 0;
            if (prefixAt >= 0 && (prefixReplicas[prefixAt + (r >>> 6)] & (1L << r)) != 0) {
                match = Math.max(match, prefixTokens);
            }
            long load = cluster.replica(r).outstandingTokens();
            double score = (double) match / prompt - scale * load;
            if (score > bestScore || score == bestScore && load < bestLoad) {
                best = r;
                bestScore = score;
                bestLoad = load;
            }
        }
        record(request, requests, prefix, prefixAt, session, sessionAt, best);
        return best;
    }

    private void record(int request, RequestView requests, long prefix, int prefixAt, long session, int sessionAt,
                        int replica) {
        if (prefix >= 0) {
            if (prefixAt < 0) {
                int row = prefixRow.size();
                prefixRow.put(prefix, row);
                prefixAt = row * words;
                if (prefixAt + words > prefixReplicas.length) {
                    prefixReplicas = Arrays.copyOf(prefixReplicas, prefixReplicas.length * 2);
                }
            }
            prefixReplicas[prefixAt + (replica >>> 6)] |= 1L << replica;
        }
        if (session >= 0) {
            if (sessionAt == LongIntTable.ABSENT) {
                sessionAt = sessionRow.size();
                sessionRow.put(session, sessionAt);
                if (sessionAt == sessionReplica.length) {
                    sessionReplica = Arrays.copyOf(sessionReplica, sessionAt * 2);
                    sessionTokens = Arrays.copyOf(sessionTokens, sessionAt * 2);
                }
            }
            sessionReplica[sessionAt] = replica;
            sessionTokens[sessionAt] = (long) requests.promptTokens(request) + requests.outputTokens(request);
        }
    }
}
