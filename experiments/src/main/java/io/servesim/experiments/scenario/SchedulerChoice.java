package io.servesim.experiments.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.schedulers.RouterSpec;
import io.servesim.schedulers.SchedulerSpec;

/**
 * The batching policy of each replica and the router in front of them.
 *
 * @param scheduler the replica-level policy (default {@code continuous})
 * @param router    the cluster router (default {@code round_robin})
 */
public record SchedulerChoice(SchedulerSpec scheduler, RouterSpec router) {
    public SchedulerChoice {
        scheduler = scheduler == null ? new SchedulerSpec.Continuous(null) : scheduler;
        router = router == null ? new RouterSpec.RoundRobin() : router;
    }

    public static SchedulerChoice defaults() {
        return new SchedulerChoice(null, null);
    }

    static SchedulerChoice fromTree(JsonNode scheduler, JsonNode router) {
        return new SchedulerChoice(
                scheduler == null || scheduler.isNull() ? null : ConfigMapper.convert(scheduler, SchedulerSpec.class, "scheduler"),
                router == null || router.isNull() ? null : ConfigMapper.convert(router, RouterSpec.class, "router"));
    }
}
