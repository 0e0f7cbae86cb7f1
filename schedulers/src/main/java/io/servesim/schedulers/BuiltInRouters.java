package io.servesim.schedulers;

import io.servesim.core.config.ConfigException;
import io.servesim.core.sched.RoundRobinRouter;
import io.servesim.core.sched.Router;
import io.servesim.schedulers.batch.LengthBins;
import io.servesim.schedulers.route.BinAffinityRouter;
import io.servesim.schedulers.route.KvAwareRouter;
import io.servesim.schedulers.route.LeastLoadedRouter;
import io.servesim.schedulers.route.PowerOfTwoRouter;
import io.servesim.schedulers.route.PrefixAffinityRouter;
import io.servesim.schedulers.route.RandomRouter;
import io.servesim.schedulers.route.SessionAffinityRouter;
import io.servesim.schedulers.route.WeightedLeastLoadedRouter;

/** The cluster routers ServeSim ships, registered under {@link #registryName()}. */
enum BuiltInRouters implements RouterType {
    ROUND_ROBIN("round_robin") {
        @Override
        public Router create(SchedulerContext context, LengthBins bins) {
            return new RoundRobinRouter();
        }
    },
    RANDOM("random") {
        @Override
        public Router create(SchedulerContext context, LengthBins bins) {
            return new RandomRouter(context.random("router"));
        }
    },
    LEAST_LOADED("least_loaded") {
        @Override
        public Router create(SchedulerContext context, LengthBins bins) {
            return new LeastLoadedRouter();
        }
    },
    WEIGHTED_LEAST_LOADED("weighted_least_loaded") {
        @Override
        public Router create(SchedulerContext context, LengthBins bins) {
            return new WeightedLeastLoadedRouter();
        }
    },
    POWER_OF_TWO("power_of_two") {
        @Override
        public Router create(SchedulerContext context, LengthBins bins) {
            return new PowerOfTwoRouter(context.random("router"));
        }
    },
    BIN_AFFINITY("bin_affinity") {
        @Override
        public Router create(SchedulerContext context, LengthBins bins) {
            if (bins == null) {
                throw new ConfigException("router.type bin_affinity needs a scheduler with length bins (multi_bin)");
            }
            return new BinAffinityRouter(bins);
        }
    },
    PREFIX_AFFINITY("prefix_affinity") {
        @Override
        public Router create(SchedulerContext context, LengthBins bins) {
            return new PrefixAffinityRouter(RouterSpec.PrefixAffinity.DEFAULT_LOAD_WEIGHT);
        }

        @Override
        public Router create(RouterSpec spec, SchedulerContext context, LengthBins bins) {
            return new PrefixAffinityRouter(((RouterSpec.PrefixAffinity) spec).loadWeight());
        }
    },
    SESSION_AFFINITY("session_affinity") {
        @Override
        public Router create(SchedulerContext context, LengthBins bins) {
            return new SessionAffinityRouter();
        }
    },
    KV_AWARE("kv_aware") {
        @Override
        public Router create(SchedulerContext context, LengthBins bins) {
            return new KvAwareRouter();
        }
    };

    private final String registryName;

    BuiltInRouters(String registryName) {
        this.registryName = registryName;
    }

    String registryName() {
        return registryName;
    }
}
