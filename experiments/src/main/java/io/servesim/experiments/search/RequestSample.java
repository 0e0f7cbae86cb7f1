package io.servesim.experiments.search;

import io.servesim.core.config.ConfigException;
import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.Sla;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.workloads.Workload;
import io.servesim.workloads.WorkloadSpec;

import java.util.Arrays;
import java.util.List;

/**
 * The requests every probe of a search serves: the first {@code n} requests of the workload drawn from the
 * scenario's seed, as the probes draw them (a probe scales arrival times, not lengths). The bounds of
 * {@link ServiceBounds} are computed over exactly these prompts and outputs.
 *
 * @param promptTokens prompt length of each request
 * @param outputTokens output length of each request
 * @param slas         the SLA of each request's profile
 */
public record RequestSample(int[] promptTokens, int[] outputTokens, Sla[] slas) {

    /** The requests of {@code spec} (whose request limit is the probe's) drawn from {@code seed}. */
    public static RequestSample of(WorkloadSpec spec, long seed) {
        if (spec.closedLoop() != null) {
            throw new ConfigException("workload: a search measures capacity by scaling the arrival rate, and a"
                    + " closed_loop workload has none; use an open-loop workload");
        }
        if (spec.requests() == null) {
            throw new ConfigException("requests: a search needs a request count per probe (--requests N)");
        }
        WorkloadSource source = Workload.compile(spec).newSource(seed);
        List<ProfileInfo> profiles = source.profiles();
        int n = Math.toIntExact(spec.requests());
        int[] prompts = new int[n];
        int[] outputs = new int[n];
        Sla[] slas = new Sla[n];
        int count = 0;
        for (RequestSpec r = source.next(); r != null && count < n; r = source.next()) {
            prompts[count] = r.promptTokens();
            outputs[count] = r.outputTokens();
            slas[count] = profiles.get(r.profile()).sla();
            count++;
        }
        return new RequestSample(Arrays.copyOf(prompts, count), Arrays.copyOf(outputs, count),
                Arrays.copyOf(slas, count));
    }

    public int size() {
        return promptTokens.length;
    }

    /** Mean prompt tokens per request. */
    public double meanPromptTokens() {
        long sum = 0;
        for (int p : promptTokens) {
            sum += p;
        }
        return (double) sum / size();
    }

    /** Mean decode iterations a request needs: its output tokens but the first, which its prefill produces. */
    public double meanDecodeTokens() {
        long sum = 0;
        for (int o : outputTokens) {
            sum += Math.max(0, o - 1);
        }
        return (double) sum / size();
    }

    /**
     * Mean context tokens a request's decodes read at least: Σ_{j=1}^{o−1} (prompt + j − 1) = (o − 1) · prompt +
     * (o − 1)(o − 2) / 2 (decode j reads the prompt and the j − 1 tokens before the one it makes, at least).
     */
    public double meanDecodeContextTokens() {
        double sum = 0;
        for (int i = 0; i < size(); i++) {
            long decodes = Math.max(0, outputTokens[i] - 1);
            sum += decodes * promptTokens[i] + decodes * Math.max(0, decodes - 1) / 2.0;
        }
        return sum / size();
    }

    /** Mean output tokens per request. */
    public double meanOutputTokens() {
        long sum = 0;
        for (int o : outputTokens) {
            sum += o;
        }
        return (double) sum / size();
    }

    /** The shortest prompt. */
    public int minPromptTokens() {
        int min = Integer.MAX_VALUE;
        for (int p : promptTokens) {
            min = Math.min(min, p);
        }
        return min;
    }
}
