package io.servesim.core.sched;

/** Makes the scheduler of each replica of a run (schedulers are stateful: one per replica). */
@FunctionalInterface
public interface BatchSchedulerFactory {
    BatchScheduler create(int replicaIndex);
}
