package io.servesim.workloads;

import io.servesim.core.workload.ClosedLoopSource;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.workloads.arrival.ArrivalSpec;
import io.servesim.workloads.profile.ArrivalQueue;
import io.servesim.workloads.profile.ClosedLoopProfile;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The requests of a closed-loop workload: N clients, each with at most one request in flight. Client i sends its
 * first request at {@code i · ramp_up / N} (all at t = 0 by default) and each next one at the end of the previous
 * plus a think time. Due clients wait in a small primitive heap ordered by time, ties by the order in which they
 * became due (clients of the first round by index), so the sequence is deterministic.
 *
 * <p>Limits: at most {@code requests} requests are ever due or sent (a client whose request ends after that is
 * done), and a send due after {@code duration_seconds} is not made (its client is done).
 *
 * <p>Random streams: the profile's split of the root is split again, in this order, into think times, prompts and
 * outputs (as a synthetic profile splits into arrivals, prompts and outputs). Prompts and outputs are drawn when a
 * request is sent, think times when one ends.
 */
final class ClosedLoopWorkloadSource implements ClosedLoopSource {
    private final Workload workload;
    private final ClosedLoopProfile profile;
    private final ArrivalSpec.ClosedLoop arrival;
    private final SplittableRandom thinkRandom;
    private final SplittableRandom promptRandom;
    private final SplittableRandom outputRandom;
    private final long requestLimit;
    private final double durationSeconds;
    private final ArrivalQueue due;
    private int dueCount;
    private long order;
    private long sent;
    private long ended;
    /** The client of each request sent, by id. */
    private int[] clientOf;

    ClosedLoopWorkloadSource(Workload workload, SplittableRandom root) {
        this.workload = workload;
        this.profile = (ClosedLoopProfile) workload.profiles().get(0);
        this.arrival = profile.arrival();
        SplittableRandom random = root.split();
        this.thinkRandom = random.split();
        this.promptRandom = random.split();
        this.outputRandom = random.split();
        WorkloadSpec spec = workload.spec();
        this.requestLimit = spec.requests();
        this.durationSeconds = spec.durationSeconds() == null ? Double.POSITIVE_INFINITY : spec.durationSeconds();
        int clients = arrival.concurrency();
        this.due = new ArrivalQueue(clients);
        this.clientOf = new int[(int) Math.min(requestLimit, 1024)];
        for (int c = 0; c < clients && c < requestLimit; c++) {
            makeDue(c, arrival.firstSendSeconds(c));
        }
    }

    private void makeDue(int client, double timeSeconds) {
        if (timeSeconds <= durationSeconds) {
            due.push(timeSeconds, order++, client);
            dueCount++;
        }
    }

    @Override
    public int clients() {
        return arrival.concurrency();
    }

    @Override
    public double nextArrivalSeconds() {
        return due.peekTime();
    }

    @Override
    public RequestSpec next() {
        if (dueCount == 0) {
            return null;
        }
        double time = due.peekTime();
        int client = due.pop();
        dueCount--;
        long id = sent++;
        if (id == clientOf.length) {
            clientOf = Arrays.copyOf(clientOf, (int) Math.min(requestLimit, 2L * clientOf.length));
        }
        clientOf[(int) id] = client;
        return new RequestSpec(id, time, profile.prompt().sample(promptRandom), profile.output().sample(outputRandom),
                0, -1, 0);
    }

    @Override
    public void onRequestEnded(long id, double timeSeconds) {
        ended++;
        if (sent + dueCount < requestLimit) {
            double think = arrival.exponentialThinkTime()
                    ? arrival.thinkTimeSeconds() * thinkRandom.nextExponential() : arrival.thinkTimeSeconds();
            makeDue(clientOf[(int) id], timeSeconds + think);
        }
    }

    @Override
    public boolean exhausted() {
        return sent >= requestLimit || (dueCount == 0 && ended == sent);
    }

    @Override
    public List<ProfileInfo> profiles() {
        return workload.profileInfos();
    }

    @Override
    public double outputTokensQuantile(double q) {
        return workload.outputTokensQuantile(q);
    }
}
