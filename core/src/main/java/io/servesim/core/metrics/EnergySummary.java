package io.servesim.core.metrics;

import io.servesim.core.engine.RequestTable;
import io.servesim.core.engine.SimulationResult;

import java.util.List;

/**
 * The energy of a run and, for a disaggregated cluster, its KV transfers. Energy is Σ over GPUs of ∫ power dt by
 * state ({@link GpuUsage#energyJoules()}, idle time included); per request and per output token it is divided over
 * the completed requests and the output tokens they produced. NaN where a GPU's power is unknown or nothing completed.
 *
 * @param energyJoules               Σ over GPUs of their energy over the horizon, J
 * @param averagePowerWatts          energyJoules / horizon, W
 * @param energyPerRequestJoules     energyJoules / completed requests, J
 * @param energyPerOutputTokenJoules energyJoules / output tokens of the completed requests, J
 * @param kvTransfers                requests whose KV was sent from a prefill to a decode replica (0 aggregated)
 * @param kvTransferMeanSeconds      mean time from a prefill's end to its KV's arrival, over the transfers that
 *                                   arrived; NaN without any
 */
public record EnergySummary(double energyJoules, double averagePowerWatts, double energyPerRequestJoules,
                            double energyPerOutputTokenJoules, long kvTransfers, double kvTransferMeanSeconds) {

    static EnergySummary of(SimulationResult result, List<GpuUsage> gpus, long completed, long outputTokens) {
        double energy = 0;
        for (GpuUsage g : gpus) {
            energy += g.energyJoules();
        }
        double horizon = result.horizonSeconds();
        RequestTable t = result.requests();
        long transfers = 0;
        long arrived = 0;
        double transferSeconds = 0;
        for (int r = 0; r < t.size(); r++) {
            double handoff = t.handoffTime(r);
            if (!Double.isNaN(handoff)) {
                transfers++;
                if (!Double.isNaN(t.firstTokenTime(r))) {
                    arrived++;
                    transferSeconds += t.firstTokenTime(r) - handoff;
                }
            }
        }
        return new EnergySummary(energy, horizon > 0 ? energy / horizon : Double.NaN,
                completed > 0 ? energy / completed : Double.NaN, outputTokens > 0 ? energy / outputTokens : Double.NaN,
                transfers, arrived > 0 ? transferSeconds / arrived : Double.NaN);
    }
}
