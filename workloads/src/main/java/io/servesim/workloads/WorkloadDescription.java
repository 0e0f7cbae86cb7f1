package io.servesim.workloads;

import io.servesim.core.workload.ClosedLoopSource;
import io.servesim.core.workload.RequestSpec;
import io.servesim.core.workload.WorkloadSource;
import io.servesim.workloads.arrival.ArrivalSpec;
import io.servesim.workloads.dist.LengthDistribution;
import io.servesim.workloads.dist.LengthMixture;
import io.servesim.workloads.profile.ClientProfile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a workload looks like: per profile (and for the whole mix) the request rate after rps_scale and the
 * prompt and output lengths, analytic (from the distributions) next to sampled (from generated requests).
 * For a multi-turn profile the analytic prompt is one user message while sampled prompts include the history.
 *
 * @param name        the spec's name (or "workload")
 * @param rpsScale    the rate multiplier applied
 * @param seed        seed of the sample
 * @param sampleSize  requests generated for the sampled columns
 * @param profiles    one row per profile, in spec order
 * @param total       the whole mix (rates summed, lengths as the rate-weighted mixture)
 * @param closedLoop  the closed-loop arrival (clients, think time), or null for an open loop; a closed loop has
 *                    no request rate (rates are NaN): its offered load is an outcome of a run
 */
public record WorkloadDescription(String name, double rpsScale, long seed, long sampleSize,
                                  List<Row> profiles, Row total, ArrivalSpec.ClosedLoop closedLoop) {

    /** One profile (or the mix). Sampled statistics are NaN when the sample holds no request of the profile. */
    public record Row(String profile, double requestRatePerSecond, boolean multiTurn, long sampledRequests,
                      Lengths prompt, Lengths output, SharedPrefixSample sharedPrefix) {
    }

    /**
     * A profile's shared prefixes: the structure in words, and in the sample the distinct prefixes seen and the
     * fraction of prompt tokens that lie in a shared prefix.
     */
    public record SharedPrefixSample(String structure, long distinctPrefixes, double sharedTokenFraction) {
    }

    /** Mean, median and 99th percentile of a length, analytic and sampled (nearest-rank quantiles). */
    public record Lengths(double analyticMean, double analyticP50, double analyticP99,
                          double sampledMean, double sampledP50, double sampledP99) {
    }

    /** Describes {@code spec} with {@code sampleSize} requests generated from {@code seed} (its limit is replaced). */
    public static WorkloadDescription describe(WorkloadSpec spec, long seed, int sampleSize) {
        if (sampleSize < 1) {
            throw new IllegalArgumentException("sampleSize must be >= 1, got " + sampleSize);
        }
        Workload workload = Workload.compile(spec.withRequests(sampleSize));
        int count = workload.profiles().size();
        IntColumn[] prompts = new IntColumn[count];
        IntColumn[] outputs = new IntColumn[count];
        for (int p = 0; p < count; p++) {
            prompts[p] = new IntColumn();
            outputs[p] = new IntColumn();
        }
        IntColumn allPrompts = new IntColumn();
        IntColumn allOutputs = new IntColumn();
        long[] prefixTokens = new long[count];
        long[] promptTokens = new long[count];
        List<Set<Long>> prefixes = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            prefixes.add(new HashSet<>());
        }
        WorkloadSource source = workload.newSource(seed);
        // A closed loop sends again only when told of an end: each sampled request ends at once (lengths do not
        // depend on timing).
        ClosedLoopSource closedLoop = source instanceof ClosedLoopSource c ? c : null;
        for (RequestSpec r = source.next(); r != null; r = source.next()) {
            if (closedLoop != null) {
                closedLoop.onRequestEnded(r.id(), r.arrivalTime());
            }
            prompts[r.profile()].add(r.promptTokens());
            outputs[r.profile()].add(r.outputTokens());
            allPrompts.add(r.promptTokens());
            promptTokens[r.profile()] += r.promptTokens();
            if (r.prefixId() >= 0) {
                prefixTokens[r.profile()] += r.prefixTokens();
                prefixes.get(r.profile()).add(r.prefixId());
            }
            allOutputs.add(r.outputTokens());
        }
        List<Row> rows = new ArrayList<>();
        boolean anyMultiTurn = false;
        for (int p = 0; p < count; p++) {
            ClientProfile profile = workload.profiles().get(p);
            anyMultiTurn |= profile.multiTurn();
            rows.add(new Row(profile.info().name(), profile.requestRatePerSecond(), profile.multiTurn(),
                    prompts[p].size, lengths(profile.prompt(), prompts[p]), lengths(profile.output(), outputs[p]),
                    profile.sharedPrefix().isEmpty() ? null : new SharedPrefixSample(profile.sharedPrefix(),
                            prefixes.get(p).size(), promptTokens[p] == 0 ? Double.NaN
                            : (double) prefixTokens[p] / promptTokens[p])));
        }
        Row total = new Row("all", workload.requestRatePerSecond(), anyMultiTurn, allPrompts.size,
                lengths(workload.promptMixture(), allPrompts), lengths(workload.outputMixture(), allOutputs), null);
        return new WorkloadDescription(spec.name() == null ? "workload" : spec.name(), spec.rpsScale(), seed,
                allPrompts.size, rows, total, spec.closedLoop());
    }

    private static Lengths lengths(LengthDistribution distribution, IntColumn sample) {
        return lengths(distribution.mean(), distribution.quantile(0.5), distribution.quantile(0.99), sample);
    }

    private static Lengths lengths(LengthMixture mixture, IntColumn sample) {
        return lengths(mixture.mean(), mixture.quantile(0.5), mixture.quantile(0.99), sample);
    }

    private static Lengths lengths(double mean, int p50, int p99, IntColumn sample) {
        return new Lengths(mean, p50, p99, sample.mean(), sample.quantile(0.5), sample.quantile(0.99));
    }

    /** A fixed-width text table: two lines per profile (analytic, sampled) and one pair for the mix. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        if (closedLoop != null) {
            sb.append(String.format(Locale.ROOT, "workload %s: closed loop, %d clients, think time %s s (%s)%s, "
                            + "%d requests sampled, seed %d%n", name, closedLoop.concurrency(),
                    closedLoop.thinkTimeSeconds(), closedLoop.thinkTimeDistribution(),
                    closedLoop.rampUpSeconds() > 0 ? ", ramp-up " + closedLoop.rampUpSeconds() + " s" : "",
                    sampleSize, seed));
            sb.append("  each client sends its next request when the previous one ends: the offered load is an outcome"
                    + " of a run\n  (servesim run reports the achieved throughput), not a property of the workload\n");
        } else {
            sb.append(String.format(Locale.ROOT, "workload %s: %d profiles, %.3f req/s (rps_scale %s), %d requests sampled, seed %d%n",
                    name, profiles.size(), total.requestRatePerSecond(), rpsScale, sampleSize, seed));
        }
        sb.append(String.format(Locale.ROOT, "%-22s %10s %8s %-8s | %10s %8s %8s | %10s %8s %8s%n",
                "profile", "req/s", "n", "", "prompt", "p50", "p99", "output", "p50", "p99"));
        for (Row row : profiles) {
            appendRow(sb, row);
        }
        appendRow(sb, total);
        if (total.multiTurn()) {
            sb.append("* multi-turn: analytic prompt = one user message; sampled prompts include the history\n");
        }
        for (Row row : profiles) {
            SharedPrefixSample s = row.sharedPrefix();
            if (s != null) {
                sb.append(String.format(Locale.ROOT, "shared prefix of %s: %s; sampled %d distinct system prompts,"
                        + " %.1f %% of prompt tokens in a system prompt%n", row.profile(), s.structure(),
                        s.distinctPrefixes(), 100 * s.sharedTokenFraction()));
            }
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, Row row) {
        String label = row.profile() + (row.multiTurn() && !row.profile().equals("all") ? " *" : "");
        Lengths p = row.prompt();
        Lengths o = row.output();
        String rate = Double.isNaN(row.requestRatePerSecond()) ? "outcome"
                : String.format(Locale.ROOT, "%.3f", row.requestRatePerSecond());
        sb.append(String.format(Locale.ROOT, "%-22s %10s %8d %-8s | %10.1f %8.0f %8.0f | %10.1f %8.0f %8.0f%n",
                label, rate, row.sampledRequests(), "analytic",
                p.analyticMean(), p.analyticP50(), p.analyticP99(), o.analyticMean(), o.analyticP50(), o.analyticP99()));
        sb.append(String.format(Locale.ROOT, "%-22s %10s %8s %-8s | %10.1f %8.0f %8.0f | %10.1f %8.0f %8.0f%n",
                "", "", "", "sampled",
                p.sampledMean(), p.sampledP50(), p.sampledP99(), o.sampledMean(), o.sampledP50(), o.sampledP99()));
    }

    /** A growable column of ints with mean and nearest-rank quantiles. */
    private static final class IntColumn {
        private int[] values = new int[256];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        double mean() {
            if (size == 0) {
                return Double.NaN;
            }
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += values[i];
            }
            return sum / size;
        }

        /** The value of rank ⌈q·n⌉ in sorted order. */
        double quantile(double q) {
            if (size == 0) {
                return Double.NaN;
            }
            int[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return sorted[Math.max(0, (int) Math.ceil(q * size) - 1)];
        }
    }
}
