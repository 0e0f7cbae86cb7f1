package io.servesim.schedulers;

/** Multi-bin batching with K bins and the other parameters at their defaults (exact predictor, dynamic batching). */
public final class MultiBinModule extends SchedulerModule {

    public MultiBinModule(int bins) {
        super(SchedulerSpec.MultiBin.withBins(bins));
    }
}
