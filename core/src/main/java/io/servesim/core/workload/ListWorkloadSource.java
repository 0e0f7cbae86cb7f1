package io.servesim.core.workload;

import io.servesim.core.workload.Sla;

import java.util.List;

/**
 * A workload given explicitly, request by request: for hand-checkable scenarios and tests. The
 * output-length quantile is read from the requests themselves (nearest rank).
 */
public final class ListWorkloadSource implements WorkloadSource {
    private final List<RequestSpec> requests;
    private final List<ProfileInfo> profiles;
    private final int[] sortedOutputs;
    private int next;

    public ListWorkloadSource(List<RequestSpec> requests, List<ProfileInfo> profiles) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one profile");
        }
        this.requests = List.copyOf(requests);
        this.profiles = List.copyOf(profiles);
        this.sortedOutputs = requests.stream().mapToInt(RequestSpec::outputTokens).sorted().toArray();
    }

    /** Requests given as {arrival seconds, prompt tokens, output tokens} rows, one profile with the default SLA. */
    public static ListWorkloadSource ofRows(double[]... rows) {
        RequestSpec[] specs = new RequestSpec[rows.length];
        for (int i = 0; i < rows.length; i++) {
            specs[i] = new RequestSpec(i, rows[i][0], (int) rows[i][1], (int) rows[i][2], 0, -1, 0);
        }
        return new ListWorkloadSource(List.of(specs), List.of(new ProfileInfo("default", Sla.DEFAULT)));
    }

    @Override
    public RequestSpec next() {
        return next < requests.size() ? requests.get(next++) : null;
    }

    @Override
    public List<ProfileInfo> profiles() {
        return profiles;
    }

    @Override
    public double outputTokensQuantile(double q) {
        if (sortedOutputs.length == 0) {
            return 1;
        }
        int rank = (int) Math.ceil(q * sortedOutputs.length) - 1;
        return sortedOutputs[Math.max(0, Math.min(rank, sortedOutputs.length - 1))];
    }
}
