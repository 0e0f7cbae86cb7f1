package io.servesim.core.engine;

import io.servesim.core.sched.BatchScheduler;
import io.servesim.core.sched.RequestQueue;
import io.servesim.core.sched.Router;
import io.servesim.core.workload.ClosedLoopSource;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;

import java.util.ArrayList;
import java.util.List;

/**
 * The event loop of one run: arrivals from the workload (pulled lazily, one pending at a time),
 * routed to replicas, and the replicas' iteration boundaries.
 *
 * <p>Each {@link ReplicaPlan} becomes one engine ({@link Replica}), or, for a {@link PipelineReplicaSetup}, one
 * virtual engine per pipeline stage sharing one {@link Pipeline}, with the plan's KV blocks split evenly over them.
 * Engines are numbered in plan order; the router chooses among all of them.
 *
 * <p>With a {@link Disaggregation} the plans are a prefill pool: a request whose prefill completes is handed to a
 * decode replica its router picks, after its KV crossed the network ({@link KvTransfers}, one event target after the
 * closed loop's); the prefill router and the decode router each see their own pool only. Engines are numbered
 * prefill pool first, then decode pool.
 *
 * <p>With a front end ({@link SimulationOptions#frontEndSeconds()} d > 0) an arrived request is routed and queued
 * d later: the requests in the front end form a FIFO (every one is delayed by the same d, so they leave in arrival
 * order) whose head has one event of its own target, after the closed loop's and the transfers'.
 *
 * <p>A {@link ClosedLoopSource} learns of every request's end and its next arrival is known only then: its one
 * pending arrival event has its own target (after the engines), so an earlier due time moves the event in place.
 * An open-loop source is pulled one request ahead and never hears of completions.
 *
 * <p>Invariants: simulated time never decreases; ties are broken by event kind, then FIFO;
 * every arrived request ends up completed, failed with a reason, or in flight at the horizon.
 */
public final class Simulation {
    /** An arrival, or (target: the front end's) a request leaving the front end. */
    static final int ARRIVAL = 0;
    static final int ITERATION_END = 1;
    static final int WAKEUP = 2;
    static final int TRANSFER = 3;

    /** What replicas tell the run. */
    interface Listener {
        void onFinished(int request);

        /** A prefill engine finished {@code request}'s prefill at {@code t} and let it go. */
        void onHandedOff(int request, double t);

        double horizon();
    }

    private final List<ReplicaPlan> setups;
    private final Router router;
    private final WorkloadSource workload;
    private final SimulationOptions options;
    private final Disaggregation decode;

    public Simulation(List<? extends ReplicaPlan> setups, Router router, WorkloadSource workload,
                      SimulationOptions options) {
        this(setups, router, null, workload, options);
    }

    /**
     * A disaggregated run when {@code decode} is given: {@code setups} and {@code router} are then the prefill pool
     * and its router.
     */
    public Simulation(List<? extends ReplicaPlan> setups, Router router, Disaggregation decode,
                      WorkloadSource workload, SimulationOptions options) {
        if (setups.isEmpty()) {
            throw new IllegalArgumentException("a simulation needs at least one replica");
        }
        if (decode != null && decode.prefillGpus().length != setups.size()) {
            throw new IllegalArgumentException("the disaggregation places " + decode.prefillGpus().length
                    + " prefill replicas, the run has " + setups.size());
        }
        this.setups = List.copyOf(setups);
        this.router = router;
        this.decode = decode;
        this.workload = workload;
        this.options = options;
    }

    /** Runs to the end of the workload (or the horizon) and returns the raw results. */
    public SimulationResult run() {
        return run(null);
    }

    /** Runs with {@code observer} watching the engines (null: nobody watches, at no cost). */
    public SimulationResult run(EngineObserver observer) {
        long wallStart = System.nanoTime();
        EventQueue events = new EventQueue(256);
        RequestTable requests = new RequestTable(1024);
        long[] finished = new long[1];
        double horizon = options.horizonSeconds();
        ClosedLoopSource closedLoop = workload instanceof ClosedLoopSource source ? source : null;
        List<ReplicaPlan> decodePlans = decode == null ? List.of() : List.copyOf(decode.plans());
        int closedLoopTarget = setups.stream().mapToInt(ReplicaPlan::virtualEngines).sum()
                + decodePlans.stream().mapToInt(ReplicaPlan::virtualEngines).sum();
        int transferTarget = closedLoopTarget + 1;
        int frontEndTarget = transferTarget + 1;
        double frontEnd = options.frontEndSeconds();
        RequestQueue inFrontEnd = new RequestQueue();
        List<Replica> replicas = new ArrayList<>(setups.size() + decodePlans.size());
        Cluster[] pools = new Cluster[2];
        KvTransfers transfers = decode == null ? null : new KvTransfers(decode.topology(), (request, t) -> {
            Replica target = replicas.get(requests.decodeReplica(request));
            if (observer != null) {
                observer.beforeEvent(target, t);
            }
            target.onDelivered(request, t);
        });
        Listener listener = new Listener() {
            @Override
            public void onFinished(int request) {
                finished[0]++;
                if (closedLoop != null) {
                    closedLoop.onRequestEnded(request, requests.finishTime(request));
                    schedule(events, closedLoop.nextArrivalSeconds(), ARRIVAL, closedLoopTarget);
                }
            }

            @Override
            public void onHandedOff(int request, double t) {
                Replica target = pools[1].replica(route(decode.router(), pools[1], request));
                target.expect(request);
                int prefillReplica = replicas.get(requests.replica(request)).deploymentReplica();
                int decodeReplica = target.deploymentReplica() - setups.size();
                transfers.start(request, decode.prefillGpus()[prefillReplica], decode.decodeGpus()[decodeReplica],
                        requests.promptTokens(request) * decode.kvBytesPerToken(), t);
                schedule(events, transfers.nextEventTime(), TRANSFER, transferTarget);
            }

            @Override
            public double horizon() {
                return horizon;
            }
        };
        addEngines(setups, 0, decode != null, replicas, requests, events, listener);
        pools[0] = new Cluster(replicas, setups.size());
        addEngines(decodePlans, setups.size(), false, replicas, requests, events, listener);
        pools[1] = new Cluster(replicas.subList(pools[0].replicaCount(), replicas.size()), decodePlans.size());
        Cluster cluster = new Cluster(replicas, setups.size() + decodePlans.size());

        RequestSpec pending = null;
        if (closedLoop != null) {
            schedule(events, closedLoop.nextArrivalSeconds(), ARRIVAL, closedLoopTarget);
        } else {
            pending = workload.next();
            if (pending != null) {
                events.push(pending.arrivalTime(), ARRIVAL, -1);
            }
        }
        double lastArrival = Double.NEGATIVE_INFINITY;
        long eventCount = 0;
        double now = 0;
        while (!events.isEmpty() && events.peekTime() <= horizon) {
            events.pop();
            double t = events.time();
            if (t < now) {
                throw new IllegalStateException("time went back from " + now + " to " + t);
            }
            now = t;
            eventCount++;
            switch (events.kind()) {
                case ARRIVAL -> {
                    if (events.target() == frontEndTarget) {
                        int r = inFrontEnd.pollFirst();
                        if (!inFrontEnd.isEmpty()) {
                            events.push(requests.arrivalTime(inFrontEnd.peekFirst()) + frontEnd, ARRIVAL,
                                    frontEndTarget);
                        }
                        admit(r, t, router, pools[0], observer);
                        break;
                    }
                    if (closedLoop != null) {
                        pending = takeClosedLoopArrival(closedLoop, t);
                    }
                    if (pending.arrivalTime() < lastArrival) {
                        throw new IllegalStateException("workload arrivals out of order at request " + pending.id());
                    }
                    lastArrival = pending.arrivalTime();
                    int r = requests.add(pending);
                    if (frontEnd > 0) {
                        if (inFrontEnd.isEmpty()) {
                            events.push(t + frontEnd, ARRIVAL, frontEndTarget);
                        }
                        inFrontEnd.addLast(r);
                    } else {
                        admit(r, t, router, pools[0], observer);
                    }
                    if (closedLoop != null) {
                        pending = null;
                        schedule(events, closedLoop.nextArrivalSeconds(), ARRIVAL, closedLoopTarget);
                    } else {
                        pending = workload.next();
                        if (pending != null) {
                            events.push(pending.arrivalTime(), ARRIVAL, -1);
                        }
                    }
                }
                case ITERATION_END -> {
                    Replica replica = replicas.get(events.target());
                    if (observer != null) {
                        observer.beforeEvent(replica, t);
                        observer.onIterationsEnd(replica, replica.inFlight());
                    }
                    replica.onIterationEnd();
                }
                case WAKEUP -> {
                    if (observer != null) {
                        observer.beforeEvent(replicas.get(events.target()), t);
                    }
                    replicas.get(events.target()).onWakeup(t);
                }
                case TRANSFER -> {
                    transfers.onEvent(t);
                    schedule(events, transfers.nextEventTime(), TRANSFER, transferTarget);
                }
                default -> throw new IllegalStateException("unknown event kind " + events.kind());
            }
        }
        if (observer != null) {
            observer.onRunEnd(replicas, now);
        }
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        boolean truncated = closedLoop != null ? !closedLoop.exhausted() : pending != null;
        return new SimulationResult(requests, cluster, workload.profiles(), now, eventCount, finished[0],
                truncated, wallSeconds, closedLoop != null ? closedLoop.clients() : 0);
    }

    /** Adds the engines of {@code plans}, replica numbers from {@code firstReplica}, to {@code replicas}. */
    private void addEngines(List<ReplicaPlan> plans, int firstReplica, boolean handsOff, List<Replica> replicas,
                            RequestTable requests, EventQueue events, Listener listener) {
        for (int i = 0; i < plans.size(); i++) {
            ReplicaPlan plan = plans.get(i);
            int engines = plan.virtualEngines();
            int stages = plan.model().pipelineStages();
            Pipeline pipeline = stages > 1 ? new Pipeline(stages) : null;
            ReplicaConfig config = engines == 1 ? plan.config()
                    : plan.config().withKvBlocks(plan.config().kvBlocks() / engines);
            List<BatchScheduler> schedulers = plan.schedulers(replicas.size());
            for (int v = 0; v < engines; v++) {
                replicas.add(new Replica(replicas.size(), firstReplica + i, v, config, plan.model(), plan.power(),
                        schedulers.get(v), pipeline, requests, events, listener, options.fastForward(), handsOff));
            }
        }
    }

    /** Routes {@code request} in {@code pool} and queues it at the chosen engine at {@code t}. */
    private static void admit(int request, double t, Router router, Cluster pool, EngineObserver observer) {
        Replica target = pool.replica(route(router, pool, request));
        if (observer != null) {
            observer.beforeEvent(target, t);
        }
        target.onArrival(request, t);
    }

    /** The engine {@code router} picks in {@code pool} for {@code request}, checked. */
    private static int route(Router router, Cluster pool, int request) {
        int target = router.route(request, pool);
        if (target < 0 || target >= pool.replicaCount()) {
            throw new IllegalStateException("router chose replica " + target + " of " + pool.replicaCount());
        }
        return target;
    }

    /**
     * (Re)schedules the one event of {@code target} (the closed loop's arrival, the transfers') at {@code due},
     * or removes it when {@code due} is +∞.
     */
    private static void schedule(EventQueue events, double due, int kind, int target) {
        if (due < Double.POSITIVE_INFINITY) {
            events.push(due, kind, target);
        } else {
            events.cancel(target);
        }
    }

    private static RequestSpec takeClosedLoopArrival(ClosedLoopSource source, double t) {
        RequestSpec request = source.next();
        if (request == null || request.arrivalTime() != t) {
            throw new IllegalStateException("closed-loop workload had no request due at " + t
                    + (request == null ? "" : " (next at " + request.arrivalTime() + ")"));
        }
        return request;
    }
}
