package io.servesim.core.engine;

import io.servesim.core.model.BatchShape;

/**
 * The iteration, or run of decode iterations, an engine has in flight, as an {@link EngineObserver} sees it: one
 * reused view over the engine's projection, given while the engine is busy. A run's
 * iterations are not stepped through: iteration i starts at the closed form's boundary T0 + S(committed + i), so an
 * observer can expand the part of a run it cares about (and only that part) into the iterations stepping would
 * have visited, and count the iterations ended by any time in O(log n).
 */
public final class IterationsInFlight {
    private final Projection projection;
    private final DecodeRun run;
    private final BatchShape shape;
    private final DecodeSet decodes;
    private final KvCache kv;
    private final int totalBlocks;
    /** The span's iteration prefills while the decodes wait ({@code mixed_batches: false}). */
    boolean decodesWait;

    IterationsInFlight(Projection projection, DecodeRun run, BatchShape shape, DecodeSet decodes, KvCache kv,
                       int totalBlocks) {
        this.projection = projection;
        this.run = run;
        this.shape = shape;
        this.decodes = decodes;
        this.kv = kv;
        this.totalBlocks = totalBlocks;
    }

    /** Iterations from the start of this span to its (projected) end. */
    public int iterations() {
        return projection.iterations;
    }

    public double startSeconds() {
        return projection.startTime;
    }

    public double endSeconds() {
        return projection.endTime;
    }

    /** The start of the span's iteration {@code i}; {@code i = iterations()} gives the span's end. */
    public double boundarySeconds(int i) {
        if (i == 0) {
            return projection.startTime;
        }
        if (i == projection.iterations) {
            return projection.endTime;
        }
        return run.boundarySeconds(run.committed + i);
    }

    /** How many of the span's iterations ended at or before {@code t}. */
    public int iterationsEndedBy(double t) {
        if (!run.active()) {
            return t >= projection.endTime ? 1 : 0;
        }
        return (int) (run.iterationsEndedBy(t, run.committed, run.committed + projection.iterations) - run.committed);
    }

    /** The first of the span's iterations that starts at or after {@code t} ({@link #iterations()} if none). */
    public int firstIterationStartingAtOrAfter(double t) {
        if (t <= projection.startTime) {
            return 0;
        }
        if (!run.active()) {
            return 1;
        }
        return (int) (run.firstBoundaryAtOrAfter(t, run.committed, run.committed + projection.iterations)
                - run.committed);
    }

    /** Prompt tokens computed in the span's (only) iteration: 0 for a run of decode iterations. */
    public long prefillTokens() {
        return shape.prefillTokens;
    }

    /** Sequences in prefill in the span's iteration. */
    public int prefillSequences() {
        return shape.prefillSequences;
    }

    /** Sequences decoding one token each in every iteration of the span (none while they wait). */
    public int decodeSequences() {
        return decodesWait ? 0 : decodes.count;
    }

    /** Tokens processed by the span's first {@code i} iterations. */
    public long tokensOfFirst(int i) {
        return i == 0 ? 0 : shape.prefillTokens + (long) i * decodeSequences();
    }

    /** KV blocks in use (total − free) once the span's first {@code i} iterations ended. */
    public int usedKvBlocksAfter(int i) {
        if (run.active()) {
            return run.usedBlocksAfter(run.committed + i, totalBlocks);
        }
        return totalBlocks - (i == 0 ? kv.blocks().freeBlocks() : projection.freeBlocks);
    }
}
