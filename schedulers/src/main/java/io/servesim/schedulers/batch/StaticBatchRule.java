package io.servesim.schedulers.batch;

import io.servesim.core.config.ConfigException;
import io.servesim.core.sched.ReplicaView;
import io.servesim.core.sched.ServingLimits;
import io.servesim.core.sched.RequestView;
import io.servesim.core.sched.RequestQueue;

/**
 * Request-level (static) batching of one queue: a batch is ready when {@code batchSize} requests
 * wait or the head has waited {@code maxWaitSeconds}; it starts only on an empty replica, and up
 * to {@code batchSize} requests from the head join it together.
 *
 * <p>As request-level systems do, a batch reserves its KV cache up front, padded to the longest
 * output of the batch (finished sequences keep their slot and keep growing until the batch returns):
 * a request joins only while the batch's reservation fits the replica's KV blocks, so a static batch
 * is never preempted. The first request of a batch always joins (it fits the cache alone).
 *
 * @param batchSize      B, requests per batch
 * @param maxWaitSeconds longest time the head waits for a full batch (+∞: wait for B)
 */
public record StaticBatchRule(int batchSize, double maxWaitSeconds) {
    public StaticBatchRule {
        ConfigException.require(batchSize >= 1, "batch_size", "must be >= 1", batchSize);
        ConfigException.require(maxWaitSeconds >= 0, "max_wait_seconds", "must be >= 0", maxWaitSeconds);
    }

    /** Whether {@code queue} has a batch ready to start now (the replica must also be empty). */
    public boolean ready(RequestQueue queue, ReplicaView replica) {
        return !queue.isEmpty() && (queue.size() >= batchSize || replica.now() >= formationDeadline(queue, replica));
    }

    /** When the head's wait for a full batch ends, or +∞ for an empty queue. */
    double formationDeadline(RequestQueue queue, ReplicaView replica) {
        return queue.isEmpty() ? Double.POSITIVE_INFINITY
                : replica.requests().arrivalTime(queue.peekFirst()) + maxWaitSeconds;
    }

    /** Admits up to B requests from the head of {@code queue}; returns how many. */
    int admitBatch(RequestQueue queue, ReplicaView replica) {
        RequestView requests = replica.requests();
        ServingLimits config = replica.config();
        int admitted = 0;
        long promptTokens = 0;
        long promptBlocks = 0;
        int longestOutput = 0;
        while (admitted < batchSize && !queue.isEmpty()) {
            int head = queue.peekFirst();
            int target = requests.promptTokens(head) + requests.generatedTokens(head);
            int output = Math.max(longestOutput, requests.outputTokens(head) - requests.generatedTokens(head));
            if (!replica.fits(head) || admitted > 0 && reservedBlocks(config, admitted + 1, promptTokens + target,
                    promptBlocks + config.blocksFor(target), output) > replica.totalKvBlocks()) {
                break;
            }
            queue.pollFirst();
            replica.admit(head);
            admitted++;
            promptTokens += target;
            promptBlocks += config.blocksFor(target);
            longestOutput = output;
        }
        return admitted;
    }

    /**
     * An upper bound on the KV blocks a batch of {@code n} sequences can reach: each holds its prompt
     * plus the longest output plus the iterations the batch's prefill may take (chunked prefill lets
     * some sequences start decoding earlier), plus one block of rounding:
     * Σ blocks(p_i) + n · (blocks(longest + prefill iterations) + 1), using ⌈a + b⌉ ≤ ⌈a⌉ + ⌈b⌉.
     */
    private static long reservedBlocks(ServingLimits config, int n, long promptTokens, long promptBlocks,
                                       int longestOutput) {
        long perIteration = config.chunkedPrefill()
                ? Math.max(1, Math.min(config.maxNumBatchedTokens() - n, config.prefillChunkTokens())) : promptTokens;
        long prefillIterations = (promptTokens + perIteration - 1) / perIteration;
        return promptBlocks + n * (config.blocksFor(longestOutput + prefillIterations) + 1L);
    }

    /** The next time something can happen to an idle replica waiting on {@code queue}: a batch's formation. */
    double wakeupTime(RequestQueue queue, ReplicaView replica) {
        return formationDeadline(queue, replica);
    }
}
