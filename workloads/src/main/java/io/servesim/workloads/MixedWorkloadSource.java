package io.servesim.workloads;

import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.workloads.profile.ArrivalQueue;
import io.servesim.workloads.profile.ProfileStream;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The requests of all profiles merged by arrival time: a heap holds the next arrival of each profile, ties
 * broken by profile index (and within a profile by its own order), so the sequence is deterministic. Ids are
 * dense in merged order. Nothing is generated before it is asked for.
 */
final class MixedWorkloadSource implements WorkloadSource {
    private final Workload workload;
    private final ProfileStream[] streams;
    private final ArrivalQueue heads;
    private final long requestLimit;
    private final double durationSeconds;
    private long emitted;

    MixedWorkloadSource(Workload workload, SplittableRandom root) {
        this.workload = workload;
        WorkloadSpec spec = workload.spec();
        this.requestLimit = spec.requests() == null ? Long.MAX_VALUE : spec.requests();
        this.durationSeconds = spec.durationSeconds() == null ? Double.POSITIVE_INFINITY : spec.durationSeconds();
        int count = workload.profiles().size();
        this.streams = new ProfileStream[count];
        this.heads = new ArrivalQueue(count);
        for (int p = 0; p < count; p++) {
            streams[p] = workload.profiles().get(p).open(p, root.split());
            offerHead(p);
        }
    }

    private void offerHead(int profile) {
        double time = streams[profile].peekArrivalSeconds();
        if (time < Double.POSITIVE_INFINITY) {
            heads.push(time, profile, profile);
        }
    }

    @Override
    public RequestSpec next() {
        if (emitted >= requestLimit || heads.isEmpty() || heads.peekTime() > durationSeconds) {
            return null;
        }
        int profile = heads.pop();
        RequestSpec request = streams[profile].emit(emitted++);
        offerHead(profile);
        return request;
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
