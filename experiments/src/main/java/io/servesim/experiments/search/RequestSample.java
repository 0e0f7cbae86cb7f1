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
 * @param arrivalSpanSeconds last arrival − first arrival at the workload's own rate (a probe at k times the rate
 *                     spans 1/k of it)
 */
public record RequestSample(int[] promptTokens, int[] outputTokens, Sla[] slas, double arrivalSpanSeconds) {

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
        double first = Double.NaN;
        double last = Double.NaN;
        for (RequestSpec r = source.next(); r != null && count < n; r = source.next()) {
            first = count == 0 ? r.arrivalTime() : first;
            last = r.arrivalTime();
            prompts[count] = r.promptTokens();
            outputs[count] = r.outputTokens();
            slas[count] = profiles.get(r.profile()).sla();
            count++;
        }
        return new RequestSample(Arrays.copyOf(prompts, count), Arrays.copyOf(outputs, count),
                Arrays.copyOf(slas, count), count == 0 ? 0 : last - first);
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

    /**
     * The fewest tokens of each kind that {@code good} of these requests need together: the sums of the {@code good}
     * smallest decode counts (o − 1), prompts and decode context reads (each kind on its own, so at most what any
     * {@code good} requests need).
     */
    public ServiceBounds.TokenKinds leastWork(int good) {
        long[] decode = new long[size()];
        long[] prompt = new long[size()];
        double[] context = new double[size()];
        for (int i = 0; i < size(); i++) {
            long decodes = Math.max(0, outputTokens[i] - 1);
            decode[i] = decodes;
            prompt[i] = promptTokens[i];
            context[i] = decodes * promptTokens[i] + decodes * Math.max(0, decodes - 1) / 2.0;
        }
        Arrays.sort(decode);
        Arrays.sort(prompt);
        Arrays.sort(context);
        double d = 0;
        double p = 0;
        double c = 0;
        for (int i = 0; i < Math.min(good, size()); i++) {
            d += decode[i];
            p += prompt[i];
            c += context[i];
        }
        return new ServiceBounds.TokenKinds(d, p, c);
    }

    /** The longest a request may take from arrival to its last token and meet its SLA: max TTFT + (o − 1) · TPOT. */
    public double longestAllowedSeconds() {
        double longest = 0;
        for (int i = 0; i < size(); i++) {
            longest = Math.max(longest, slas[i].ttftSeconds() + Math.max(0, outputTokens[i] - 1) * slas[i].tpotSeconds());
        }
        return longest;
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
