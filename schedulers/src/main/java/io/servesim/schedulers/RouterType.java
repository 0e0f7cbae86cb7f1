package io.servesim.schedulers;

import io.servesim.core.sched.Router;
import io.servesim.schedulers.batch.LengthBins;

/** A cluster router in the registry. */
@FunctionalInterface
public interface RouterType {

    /**
     * A fresh router for one run.
     *
     * @param bins the scheduler's length bins, or null when the scheduler has none
     */
    Router create(SchedulerContext context, LengthBins bins);

    /** A fresh router for one run of {@code spec}, for routers with parameters; others ignore the spec. */
    default Router create(RouterSpec spec, SchedulerContext context, LengthBins bins) {
        return create(context, bins);
    }
}
