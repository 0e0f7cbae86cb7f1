package io.servesim.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A step-time model that interpolates measured iterations instead of computing them from first principles, as
 * profiling-based simulators (Vidur) do. It keeps two tables from a {@link StepTimeProfile}:
 * <ul>
 *   <li>prefill: time(prefill tokens, cached context before the chunk), on one line per context value;</li>
 *   <li>decode: time(batch, KV length per sequence), on one line per batch size.</li>
 * </ul>
 * Values between points are linear in both coordinates; below the table they stay flat, above it they continue
 * the last segment (never below the last point); see {@link InterpolationTable}. An iteration is
 * <pre>
 *   prefill only:  prefill(P, c̄)                       P = prefill tokens, c̄ = mean cached context per chunk
 *   decode only:   decode(B, L̄)                        B = decode sequences, L̄ = mean KV length
 *   mixed:         prefill(P + B, c̄) + decode(B, L̄) − decode(B, 0)
 * </pre>
 * The mixed rule runs every token through the linear layers once (as the prefill table measured them) and adds
 * the decodes' KV reads, the part of a decode step that grows with context; decode(B, 0) is the flat
 * extrapolation to the smallest profiled context. Several prefill chunks in one batch are looked up as one chunk of
 * their total length, which overstates their attention when it matters (long prompts). One stage, the profile's
 * TP degree; measured times include communication, so it is not reported apart.
 */
public final class ProfiledStepTimeModel implements StepTimeModel {
    private static final double MILLIS = 1e-3;

    private final StepTimeProfile profile;
    private final InterpolationTable prefillMs;
    private final InterpolationTable decodeMs;

    public ProfiledStepTimeModel(StepTimeProfile profile) {
        this.profile = profile;
        List<InterpolationTable.Sample> prefill = new ArrayList<>();
        List<InterpolationTable.Sample> decode = new ArrayList<>();
        for (StepTimeProfile.Point p : profile.points()) {
            if (p.isPrefill()) {
                prefill.add(new InterpolationTable.Sample(p.contextTokens(), p.prefillTokens(), p.timeMs()));
            } else {
                decode.add(new InterpolationTable.Sample(p.decodeBatch(), p.contextTokens(), p.timeMs()));
            }
        }
        this.prefillMs = new InterpolationTable(prefill);
        this.decodeMs = new InterpolationTable(decode);
    }

    public StepTimeProfile profile() {
        return profile;
    }

    @Override
    public double stageSeconds(BatchShape batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        int decodes = batch.decodeSequences;
        double meanKvLength = decodes == 0 ? 0 : (double) batch.decodeContextTokens / decodes;
        if (batch.prefillTokens == 0) {
            return decodeMs.value(decodes, meanKvLength) * MILLIS;
        }
        double meanCached = (double) batch.prefillContextTokens / Math.max(1, batch.prefillSequences);
        double ms = prefillMs.value(meanCached, batch.prefillTokens + decodes);
        if (decodes > 0) {
            ms += decodeMs.value(decodes, meanKvLength) - decodeMs.value(decodes, 0);
        }
        return ms * MILLIS;
    }

    @Override
    public double stageTransferSeconds(BatchShape batch) {
        return 0;
    }

    @Override
    public int pipelineStages() {
        return 1;
    }

    @Override
    public int tensorParallel() {
        return profile.tp();
    }

    /** A measured table does not tell the terms apart: only the total is known. */
    @Override
    public StepTimeBreakdown breakdown(BatchShape batch) {
        return new StepTimeBreakdown(0, 0, 0, 0, 0, false, false, stageSeconds(batch));
    }
}
