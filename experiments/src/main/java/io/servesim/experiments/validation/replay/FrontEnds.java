package io.servesim.experiments.validation.replay;

import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.validation.replay.BenchmarkRow.ClosedLoop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The front-end time of each measurement campaign of a closed-loop benchmark file: the time a request spends between
 * the benchmark's client and the engine's queue (HTTP, the API server, tokenization, the hand-off to the engine, and
 * whatever the harness adds), which no engine coefficient expresses and which occupies no GPU. A campaign is one
 * backend at one recorded version ({@code vllm 0.12.0}; an empty version is a campaign of its own) in one collection
 * of measurements ({@link BenchmarkRow#source()}: the source file the silicon sample names): one engine build and one
 * harness run.
 *
 * <p>Fitted, per campaign, on its aggregated closed-loop rows at {@link #FIT_TP} (the split's TP degree for the
 * end-to-end fit, {@code docs/calibration.md}), by least squares on the relative TTFT error of a replay without a
 * front end: d = max(0, Σ (m − p)/m² / Σ 1/m²) for measured mean TTFTs m and predicted p. Every other row of the
 * campaign is held out. A replay with the front ends gives each closed-loop aggregated row of a campaign that has one
 * {@code engine.front_end_ms} = d.
 *
 * @param source    where the values come from and how they were fitted
 * @param campaigns the fitted campaigns
 */
public record FrontEnds(String source, List<Campaign> campaigns) {
    /** The TP degree whose rows fit a campaign's front end. */
    public static final int FIT_TP = 4;
    /** Fewest fit rows a campaign's front end is fitted on; a campaign with fewer gets none. */
    public static final int MIN_FIT_ROWS = 5;
    /** The bundled front ends: the silicon sample's campaigns. */
    public static final String RESOURCE = "io/servesim/experiments/calibration/front_ends.json";
    /** No front end for any row. */
    public static final FrontEnds NONE = new FrontEnds("none", List.of());

    /**
     * @param backend        the backend as the file names it, lower case
     * @param backendVersion its recorded version; empty when the campaign records none
     * @param source         the collection the rows come from ({@link BenchmarkRow#source()}); empty when not recorded
     * @param frontEndMs     the fitted front-end time, ms
     * @param fitRows        rows it was fitted on
     */
    public record Campaign(String backend, String backendVersion, String source, double frontEndMs, int fitRows) {
        public Campaign {
            ConfigException.require(backend != null && !backend.isBlank(), "campaigns.backend", "must be given",
                    backend);
            backend = backend.toLowerCase(Locale.ROOT);
            backendVersion = backendVersion == null ? "" : backendVersion;
            source = source == null ? "" : source;
            ConfigException.require(frontEndMs >= 0 && Double.isFinite(frontEndMs), "campaigns.front_end_ms",
                    "must be >= 0", frontEndMs);
        }

        Id id() {
            return new Id(backend, backendVersion, source);
        }
    }

    /** Which campaign: backend (lower case), version and collection, ordered so. */
    record Id(String backend, String version, String source) implements Comparable<Id> {
        static Id of(BenchmarkRow row) {
            return new Id(row.backend().toLowerCase(Locale.ROOT), row.backendVersion(), row.source());
        }

        @Override
        public int compareTo(Id other) {
            return Comparator.comparing(Id::backend).thenComparing(Id::version).thenComparing(Id::source)
                    .compare(this, other);
        }
    }

    /** A campaign's sums for the least-squares front end: Σ (m − p)/m², Σ 1/m² and the rows. */
    private static final class Sums {
        double weightedGap;
        double weights;
        int rows;
    }

    public FrontEnds {
        ConfigException.require(source != null && !source.isBlank(), "source",
                "must say where the front-end times come from", source);
        campaigns = campaigns == null ? List.of() : List.copyOf(campaigns);
    }

    /** The bundled front ends. */
    public static FrontEnds bundled() {
        return ConfigMapper.readResource(RESOURCE, FrontEnds.class);
    }

    /** Front ends from a file written by {@code validate --against FILE --fit-front-ends OUT}. */
    public static FrontEnds read(Path file) {
        return ConfigMapper.read(file, FrontEnds.class);
    }

    /** The front-end time of {@code row}, ms: its campaign's for an aggregated closed-loop row, else 0. */
    public double frontEndMs(BenchmarkRow row) {
        if (!applies(row)) {
            return 0;
        }
        Id id = Id.of(row);
        for (Campaign campaign : campaigns) {
            if (campaign.id().equals(id)) {
                return campaign.frontEndMs();
            }
        }
        return 0;
    }

    /** The rows these front ends were fitted on: the {@link #FIT_TP} rows of every campaign listed. */
    public Predicate<BenchmarkRow> fitRows() {
        return row -> isFitRow(row) && campaigns.stream().anyMatch(c -> c.id().equals(Id.of(row)));
    }

    /**
     * Fits every campaign's front end on {@code results}, replayed without front ends: per campaign, the least-squares
     * d on the relative TTFT error of its replayed {@link #FIT_TP} rows (clipped at 0, rounded to 0.1 ms). Campaigns
     * with fewer than {@link #MIN_FIT_ROWS} such rows are not listed (one row would give d = its whole error, a
     * saturated run's queueing included).
     */
    public static FrontEnds fit(List<RowResult> results, String source) {
        Map<Id, Sums> sums = new TreeMap<>();
        for (RowResult result : results) {
            BenchmarkRow row = result.row();
            Double measured = row.measured().get(ServingMetric.TTFT_MEAN);
            Double predicted = result.predicted().get(ServingMetric.TTFT_MEAN);
            if (!result.replayed() || !isFitRow(row) || measured == null || predicted == null) {
                continue;
            }
            Sums s = sums.computeIfAbsent(Id.of(row), id -> new Sums());
            s.weightedGap += (measured - predicted) / (measured * measured);
            s.weights += 1 / (measured * measured);
            s.rows++;
        }
        List<Campaign> campaigns = new ArrayList<>();
        sums.forEach((id, s) -> {
            if (s.rows >= MIN_FIT_ROWS) {
                double d = Math.max(0, Math.round(s.weightedGap / s.weights * 10) / 10.0);
                campaigns.add(new Campaign(id.backend(), id.version(), id.source(), d, s.rows));
            }
        });
        return new FrontEnds(source, campaigns);
    }

    private static boolean applies(BenchmarkRow row) {
        return row.load() instanceof ClosedLoop && row.pools() == null && !row.backend().isEmpty();
    }

    private static boolean isFitRow(BenchmarkRow row) {
        return applies(row) && row.tp() == FIT_TP;
    }
}
