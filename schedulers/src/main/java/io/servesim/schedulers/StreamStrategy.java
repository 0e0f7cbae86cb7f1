package io.servesim.schedulers;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.sched.Router;
import io.servesim.schedulers.route.ContextSplitStreamRouter;
import io.servesim.schedulers.route.LeastLoadedRouter;

/** How parallel-stream serving picks the stream of a request. */
public enum StreamStrategy {
    /** Stream i mod N, whatever the load. */
    @JsonProperty("round_robin") ROUND_ROBIN,
    /** Context-heavy and generation-heavy requests on separate streams, balanced within each group. */
    @JsonProperty("smart") SMART,
    /** The stream with the least estimated work: prompt + output tokens outstanding. */
    @JsonProperty("balanced") BALANCED;

    Router router(int streamsPerGpu, double contextRatioThreshold) {
        return switch (this) {
            case ROUND_ROBIN -> new RoundRobinRouter();
            case SMART -> new ContextSplitStreamRouter(streamsPerGpu, contextRatioThreshold);
            case BALANCED -> new LeastLoadedRouter();
        };
    }
}
