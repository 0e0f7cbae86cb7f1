package io.servesim.schedulers.batch;

import io.servesim.core.sched.ReplicaView;
import io.servesim.core.sched.BatchScheduler;
import io.servesim.core.sched.RequestQueue;

/**
 * Multi-bin batching (Guldogan et al., 2024, "Multi-Bin Batching for Increasing LLM Inference
 * Throughput"): arriving requests go to one of K bins by predicted output length ({@link LengthBins});
 * batches are formed within one bin at a time, so a batch holds requests of similar length; bins take
 * turns by a {@link BinSelectionPolicy}. Inside a bin, batching is either
 *
 * <ul>
 *   <li><b>static</b> ({@link StaticBatchRule}): on an empty replica the policy picks among the bins with
 *       a batch ready (B waiting, or the head waited the maximum wait) and up to B of its requests run
 *       as one request-level batch — the setting the paper analyses; or</li>
 *   <li><b>dynamic</b> ({@link DynamicBatchController}): a bin's <em>turn</em> starts when the policy picks
 *       it among the non-empty bins; during the turn only that bin's requests are admitted, under the
 *       dynamic controllers, until its batch is formed — the controller's cap (at the turn's start) of
 *       requests admitted — or the bin runs empty; then the next bin's turn starts at once. A request
 *       the controller refuses ends admission until the batch changes (the turn continues).</li>
 * </ul>
 *
 * With K = 1 and dynamic batching the scheduler makes exactly the decisions of {@link DynamicBatchScheduler}.
 * Queue timeouts are the engine's: a request that times out is withdrawn from its bin.
 */
public final class MultiBinScheduler implements BatchScheduler {
    private static final BinSelectionPolicy.Eligibility NON_EMPTY = (bin, replica) -> !bin.isEmpty();

    private final LengthBins binning;
    private final BinSelectionPolicy policy;
    private final DynamicBatchController controller;
    private final StaticBatchRule rule;
    private final RequestQueue[] bins;
    private final BinSelectionPolicy.Eligibility staticReady;

    private int served = -1;
    private int lastServed = -1;
    private int turnAdmitted;
    private int turnCap;
    private boolean blocked;

    private MultiBinScheduler(LengthBins binning, BinSelectionPolicy policy, DynamicBatchController controller,
                              StaticBatchRule rule) {
        this.binning = binning;
        this.policy = policy;
        this.controller = controller;
        this.rule = rule;
        this.bins = new RequestQueue[binning.count()];
        for (int i = 0; i < bins.length; i++) {
            bins[i] = new RequestQueue();
        }
        this.staticReady = rule == null ? null : rule::ready;
    }

    /** Multi-bin batching with dynamic (controlled continuous) batching inside each bin. */
    public static MultiBinScheduler dynamic(LengthBins binning, BinSelectionPolicy policy,
                                            DynamicBatchController controller) {
        return new MultiBinScheduler(binning, policy, controller, null);
    }

    /** Multi-bin batching with static (request-level) batching of each bin. */
    public static MultiBinScheduler statically(LengthBins binning, BinSelectionPolicy policy, StaticBatchRule rule) {
        return new MultiBinScheduler(binning, policy, null, rule);
    }

    @Override
    public void enqueue(int request, ReplicaView replica) {
        if (controller != null) {
            controller.onArrival(arrivalMayChangeBatch(replica));
        }
        bins[binning.binOf(request, replica.requests())].addLast(request);
    }

    @Override
    public void requeue(int request, ReplicaView replica) {
        if (controller != null) {
            controller.onLeft(request, replica);
        }
        bins[binning.binOf(request, replica.requests())].addFirst(request);
    }

    @Override
    public void admit(ReplicaView replica) {
        if (controller != null) {
            admitDynamic(replica);
        } else {
            admitStatic(replica);
        }
    }

    private void admitDynamic(ReplicaView replica) {
        controller.beginBoundary(replica);
        blocked = false;
        while (true) {
            if (served < 0 || turnAdmitted >= turnCap || bins[served].isEmpty()) {
                served = policy.pick(bins, lastServed, NON_EMPTY, replica);
                if (served < 0) {
                    break;
                }
                lastServed = served;
                turnAdmitted = 0;
                turnCap = controller.batchCap(replica);
            }
            turnAdmitted += controller.admitFrom(bins[served], replica, turnCap - turnAdmitted);
            if (controller.blocked()) {
                blocked = true;
                break;
            }
        }
        controller.endBoundary(replica);
    }

    private void admitStatic(ReplicaView replica) {
        while (replica.runningCount() == 0) {
            int bin = policy.pick(bins, lastServed, staticReady, replica);
            if (bin < 0) {
                return;
            }
            lastServed = bin;
            if (rule.admitBatch(bins[bin], replica) == 0 && !bins[bin].isEmpty()) {
                return;
            }
        }
    }

    @Override
    public void withdraw(int request, ReplicaView replica) {
        bins[binning.binOf(request, replica.requests())].remove(request);
    }

    @Override
    public double wakeupTime(ReplicaView replica) {
        if (controller != null) {
            return Double.POSITIVE_INFINITY;
        }
        if (replica.runningCount() > 0) {
            return Double.POSITIVE_INFINITY;
        }
        double wake = Double.POSITIVE_INFINITY;
        for (RequestQueue bin : bins) {
            wake = Math.min(wake, rule.wakeupTime(bin, replica));
        }
        return wake;
    }

    @Override
    public boolean arrivalMayChangeBatch(ReplicaView replica) {
        return controller != null ? !blocked : replica.runningCount() == 0;
    }

    @Override
    public boolean holdsFinishedSlots() {
        return rule != null;
    }

    @Override
    public void onCompleted(int request, ReplicaView replica) {
        if (controller != null) {
            controller.onLeft(request, replica);
        }
    }

    @Override
    public void onIterations(ReplicaView replica, long iterations, double lastIterationSeconds) {
        if (controller != null) {
            controller.onIterations(lastIterationSeconds);
        }
    }
}
