package io.servesim.analysis.report;

import static io.servesim.analysis.ResultsSchema.E2E_P95_S;
import static io.servesim.analysis.ResultsSchema.GOODPUT_RPS;
import static io.servesim.analysis.ResultsSchema.THROUGHPUT_RPS;
import static io.servesim.analysis.report.NumberText.count;
import static io.servesim.analysis.report.NumberText.estimate;
import static io.servesim.analysis.report.NumberText.gain;
import static io.servesim.analysis.report.NumberText.number;
import static io.servesim.analysis.report.NumberText.percent;
import static io.servesim.analysis.report.NumberText.signedPercent;

import io.servesim.analysis.findings.ConfigSummary;
import io.servesim.analysis.findings.FindingRecords.BaselineComparison;
import io.servesim.analysis.findings.FindingRecords.Capacity;
import io.servesim.analysis.findings.FindingRecords.GpuPoint;
import io.servesim.analysis.findings.FindingRecords.GpuSeries;
import io.servesim.analysis.findings.FindingRecords.KPoint;
import io.servesim.analysis.findings.FindingRecords.KSeries;
import io.servesim.analysis.findings.FindingRecords.Ranked;
import io.servesim.analysis.findings.FindingRecords.SaturatedConfiguration;
import io.servesim.analysis.findings.FindingRecords.Sla;
import io.servesim.analysis.findings.FindingRecords.SlaRow;
import io.servesim.analysis.findings.FindingRecords.Tail;
import io.servesim.analysis.findings.FindingRecords.VolumeRanking;
import io.servesim.analysis.findings.FindingRules;
import io.servesim.analysis.findings.Findings;
import io.servesim.analysis.findings.StepFindings;
import io.servesim.analysis.report.FindingsDocument.Block;
import io.servesim.analysis.report.FindingsDocument.Bullets;
import io.servesim.analysis.report.FindingsDocument.Paragraph;
import io.servesim.analysis.report.FindingsDocument.Section;
import io.servesim.analysis.report.FindingsDocument.TableBlock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes the findings in words: every number comes from {@link Findings}. Each step leads with
 * capacity under SLA (when measured) and saturation, then its own findings, the SLA discussion,
 * the long tail and a table of configurations.
 */
public final class FindingsNarrative {

    public FindingsDocument narrate(Findings findings) {
        List<String> preamble = List.of("Computed from " + String.join(", ", findings.inputFiles())
                + ". Every number below comes from these files; the rules applied are listed at the end.");
        List<Section> sections = new ArrayList<>();
        for (StepFindings step : findings.steps()) {
            sections.addAll(step(step));
        }
        sections.add(new Section(2, "Rules", List.of(new Bullets(findings.rules()))));
        return new FindingsDocument("Findings", preamble, sections);
    }

    private static List<Section> step(StepFindings step) {
        List<Section> sections = new ArrayList<>();
        sections.add(new Section(2, stepTitle(step), leadBlocks(step)));
        switch (step.kind()) {
            case REQUEST_SCALING -> step.requestScaling().volumes()
                    .forEach(v -> sections.add(new Section(3, "At " + count(v.requests()) + " requests", volume(v))));
            case GPU_SCALING -> step.gpuScaling().series()
                    .forEach(s -> sections.add(new Section(3, "GPU scaling: " + s.series(), gpuSeries(s))));
            case KBINS_SENSITIVITY -> step.kBins().series()
                    .forEach(s -> sections.add(new Section(3, "K-bins sensitivity: " + s.series(), kSeries(s))));
            case COMPARISON -> sections.add(new Section(3, "Ranking of configurations", comparison(step)));
        }
        sections.add(new Section(3, "SLA: per-token normalised vs absolute request SLA", sla(step.sla())));
        sections.add(new Section(3, "Long tail", tails(step.tails())));
        sections.add(new Section(3, "Configurations", List.of(configurationTable(step.configurations()))));
        return sections;
    }

    private static String stepTitle(StepFindings step) {
        return switch (step.kind()) {
            case REQUEST_SCALING -> "Step 1: request scaling (" + step.step() + ")";
            case GPU_SCALING -> "Step 2: GPU scaling (" + step.step() + ")";
            case KBINS_SENSITIVITY -> "Step 3: K-bins sensitivity (" + step.step() + ")";
            case COMPARISON -> "Study " + step.step();
        };
    }

    private static List<Block> leadBlocks(StepFindings step) {
        List<Block> blocks = new ArrayList<>();
        if (!step.capacity().isEmpty()) {
            Capacity best = step.capacity().get(0);
            blocks.add(new Paragraph("Capacity per GPU under SLA: highest for " + best.configuration() + " at "
                    + number(best.capacityRpsPerGpu()) + " req/s per GPU (" + estimate(best.capacityRps())
                    + " req/s on " + best.gpus() + " GPUs)."));
            blocks.add(new Bullets(step.capacity().stream()
                    .map(c -> c.configuration() + ": " + number(c.capacityRpsPerGpu()) + " req/s per GPU ("
                            + estimate(c.capacityRps()) + " req/s under SLA on " + c.gpus() + " GPUs)")
                    .toList()));
        }
        List<SaturatedConfiguration> saturated = step.saturated();
        if (saturated.isEmpty()) {
            blocks.add(new Paragraph("No configuration saturated: all " + step.configurations().size()
                    + " kept up with their arrivals."));
        } else {
            blocks.add(new Paragraph(saturated.size() + " of " + step.configurations().size()
                    + " configurations saturated (could not keep up with their arrivals): "
                    + String.join("; ", saturated.stream().map(FindingsNarrative::saturatedText).toList()) + "."));
        }
        return blocks;
    }

    private static String saturatedText(SaturatedConfiguration s) {
        return s.configuration() + " (overload ratio " + number(s.overloadRatio()) + ", "
                + s.saturatedReplications() + " of " + s.replications() + " replications)";
    }

    private static List<Block> volume(VolumeRanking v) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Paragraph("Throughput ranking: " + ranking(v.byThroughput(), " req/s") + "."));
        blocks.add(new Paragraph("p95 e2e latency ranking (unsaturated only): "
                + (v.byP95E2e().isEmpty() ? "no unsaturated configuration" : ranking(v.byP95E2e(), " s")) + "."));
        exclusion(v.excludedFromLatencyRanking()).ifPresent(blocks::add);
        if (v.baselineNote() != null) {
            blocks.add(new Paragraph("Relative gains: " + v.baselineNote() + "."));
        } else if (!v.versusBaseline().isEmpty()) {
            blocks.add(new Bullets(v.versusBaseline().stream().map(c -> comparisonText(c, v.requests())).toList()));
        }
        return blocks;
    }

    private static String comparisonText(BaselineComparison c, long requests) {
        String versus = " over " + c.baseline() + " at " + count(requests) + " requests";
        if (c.p95E2e() == null) {
            return c.configuration() + ": " + gain(c.throughput(), "throughput") + versus + "; " + c.p95Note();
        }
        return c.configuration() + ": " + gain(c.throughput(), "throughput") + " and " + gain(c.p95E2e(), "p95 e2e")
                + versus;
    }

    private static Optional<Block> exclusion(List<String> excluded) {
        if (excluded.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Paragraph("Latency ranking excludes " + excluded.size() + " saturated cells: "
                + String.join(", ", excluded) + "; their latencies measure the run length, not the service."));
    }

    private static String ranking(List<Ranked> ranked, String unit) {
        return String.join("; ", ranked.stream()
                .map(r -> r.rank() + ". " + r.configuration() + " " + estimate(r.value()) + unit).toList());
    }

    private static List<Block> gpuSeries(GpuSeries s) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new TableBlock(
                List.of("GPUs", "throughput (req/s)", "goodput (req/s)", "throughput per GPU", "efficiency",
                        "goodput gain vs previous count"),
                s.points().stream().map(p -> List.of(String.valueOf(p.gpus()), estimate(p.throughputRps()),
                        estimate(p.goodputRps()), number(p.throughputPerGpu()), percent(p.efficiency()),
                        p.goodputGainFromPrevious() == null ? "—" : gain(p.goodputGainFromPrevious(), ""))).toList()));
        GpuPoint largest = s.points().get(s.points().size() - 1);
        List<String> items = new ArrayList<>();
        items.add("Scaling efficiency at " + largest.gpus() + " GPUs: " + percent(largest.efficiency())
                + " of the throughput per GPU at " + s.points().get(0).gpus() + " GPU(s).");
        if (s.saturationPointGpus() == null) {
            items.add("No saturation point: every step of the ladder adds at least "
                    + percent(FindingRules.SATURATION_GOODPUT_GAIN) + " goodput.");
        } else {
            GpuPoint next = nextAfter(s.points(), GpuPoint::gpus, s.saturationPointGpus());
            items.add("Saturation point: " + s.saturationPointGpus() + " GPUs — going to " + next.gpus() + " GPUs adds "
                    + signedPercent(next.goodputGainFromPrevious().gain()) + " goodput (< "
                    + percent(FindingRules.SATURATION_GOODPUT_GAIN) + ").");
        }
        GpuPoint max = s.points().stream().filter(p -> p.gpus() == s.maxGoodputGpus()).findFirst().orElseThrow();
        items.add("Best GPU count: " + s.bestGpus() + " GPUs (rule: the smallest count within "
                + percent(FindingRules.BEST_GPU_TOLERANCE) + " of the best goodput, " + estimate(max.goodputRps())
                + " req/s at " + max.gpus() + " GPUs).");
        blocks.add(new Bullets(items));
        return blocks;
    }

    private static List<Block> kSeries(KSeries s) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new TableBlock(
                List.of("K", "throughput (req/s)", "p95 e2e (s)", "throughput gain vs previous K", "gain per doubling"),
                s.points().stream().map(p -> List.of(String.valueOf(p.k()), estimate(p.throughputRps()),
                        estimate(p.p95E2e()),
                        p.gainFromPrevious() == null ? "—" : gain(p.gainFromPrevious(), ""),
                        p.gainPerDoubling() == null ? "—" : signedPercent(p.gainPerDoubling()))).toList()));
        List<String> items = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        for (int i = 1; i < s.points().size(); i++) {
            KPoint p = s.points().get(i);
            if (p.gainPerDoubling() != null) {
                steps.add("K=" + s.points().get(i - 1).k() + "→" + p.k() + " " + signedPercent(p.gainPerDoubling()));
            }
        }
        if (!steps.isEmpty()) {
            items.add("Throughput gain per doubling of K: " + String.join(", ", steps) + ".");
        }
        items.add(s.plateauK() == null
                ? "No plateau: every doubling of K adds at least " + percent(FindingRules.K_PLATEAU_GAIN) + " throughput."
                : "Plateau: past K=" + s.plateauK() + " a doubling of K adds < " + percent(FindingRules.K_PLATEAU_GAIN)
                        + " throughput.");
        KPoint best = s.points().stream().filter(p -> p.k() == s.bestK()).findFirst().orElseThrow();
        items.add("Recommended K = " + s.recommendedK() + " (rule: the smallest K within "
                + percent(FindingRules.RECOMMENDED_K_TOLERANCE) + " of the best throughput); best K = " + s.bestK()
                + " (" + estimate(best.throughputRps()) + " req/s).");
        blocks.add(new Bullets(items));
        return blocks;
    }

    private static List<Block> comparison(StepFindings step) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Paragraph("By throughput: " + ranking(step.comparison().byThroughput(), " req/s") + "."));
        blocks.add(new Paragraph("By goodput: " + ranking(step.comparison().byGoodput(), " req/s") + "."));
        blocks.add(new Paragraph("By p95 e2e latency (unsaturated only): "
                + (step.comparison().byP95E2e().isEmpty() ? "no unsaturated configuration"
                        : ranking(step.comparison().byP95E2e(), " s")) + "."));
        exclusion(step.comparison().excludedFromLatencyRanking()).ifPresent(blocks::add);
        return blocks;
    }

    private static List<Block> sla(Sla sla) {
        List<Block> blocks = new ArrayList<>();
        String limit = percent(FindingRules.VIOLATION_LIMIT);
        List<String> items = new ArrayList<>();
        items.add("Per-token normalised SLA violated for more than " + limit + " of arrivals by "
                + listOrNone(sla.normViolationAboveLimit()) + ".");
        items.add("Absolute request SLA (TTFT and TPOT deadlines) violated for more than " + limit + " of arrivals by "
                + listOrNone(sla.requestViolationAboveLimit()) + ".");
        items.add("p95 TTFT above the TTFT deadline: " + listOrNone(sla.ttftP95AboveDeadline()) + ".");
        List<String> onlyNorm = minus(sla.normViolationAboveLimit(), sla.requestViolationAboveLimit());
        List<String> onlyRequest = minus(sla.requestViolationAboveLimit(), sla.normViolationAboveLimit());
        if (!onlyNorm.isEmpty() || !onlyRequest.isEmpty()) {
            items.add("The two spaces disagree: above the limit only per token: " + listOrNone(onlyNorm)
                    + "; only per request: " + listOrNone(onlyRequest) + ".");
        }
        if (!sla.dataErrors().isEmpty()) {
            items.add("Data error: p95 TTFT above the deadline but request violation rate ≤ " + limit + " for "
                    + String.join(", ", sla.dataErrors()) + "; the violation accounting of these cells is inconsistent.");
        }
        blocks.add(new Bullets(items));
        blocks.add(new TableBlock(List.of("configuration", "norm. violation", "norm. deadline (s/token)",
                "request violation", "TTFT deadline (s)", "TPOT deadline (s)", "p95 TTFT (s)", "p95 e2e (s)", "p99 e2e (s)"),
                sla.rows().stream().map(FindingsNarrative::slaRow).toList()));
        return blocks;
    }

    private static List<String> slaRow(SlaRow r) {
        return List.of(r.configuration() + (r.dataError() ? " (data error)" : ""), percent(r.normViolationRate()),
                number(r.normDeadlineSPerToken()), percent(r.requestViolationRate()), number(r.ttftDeadlineS()),
                number(r.tpotDeadlineS()), number(r.ttftP95S()), number(r.e2eP95S()), number(r.e2eP99S()));
    }

    private static List<Block> tails(List<Tail> tails) {
        List<Block> blocks = new ArrayList<>();
        tails.stream().filter(t -> t.e2eP99OverP50() != null)
                .max(Comparator.comparingDouble(Tail::e2eP99OverP50))
                .ifPresent(t -> blocks.add(new Paragraph("Longest e2e tail: " + t.configuration() + " with p99/p50 = "
                        + number(t.e2eP99OverP50()) + (t.saturated() ? " (saturated: the tail includes queue growth)" : "")
                        + ".")));
        blocks.add(new TableBlock(List.of("configuration", "e2e p99/p50", "TTFT p99/p50", "saturated"),
                tails.stream().map(t -> List.of(t.configuration(), number(t.e2eP99OverP50()),
                        number(t.ttftP99OverP50()), t.saturated() ? "yes" : "no")).toList()));
        return blocks;
    }

    private static Block configurationTable(List<ConfigSummary> configs) {
        return new TableBlock(List.of("configuration", "requests", "replications", "throughput (req/s)",
                "goodput (req/s)", "p95 e2e (s)", "saturated"),
                configs.stream().map(c -> List.of(c.label(), count(c.requests()), String.valueOf(c.replications()),
                        estimate(c.metric(THROUGHPUT_RPS)), estimate(c.metric(GOODPUT_RPS)),
                        estimate(c.metric(E2E_P95_S)), c.saturated() ? "yes" : "no")).toList());
    }

    private static <T> T nextAfter(List<T> points, Function<T, Integer> key, int value) {
        for (int i = 0; i < points.size() - 1; i++) {
            if (Objects.equals(key.apply(points.get(i)), value)) {
                return points.get(i + 1);
            }
        }
        throw new IllegalStateException("no ladder point after " + value);
    }

    private static List<String> minus(List<String> a, List<String> b) {
        return a.stream().filter(x -> !b.contains(x)).toList();
    }

    private static String listOrNone(List<String> items) {
        return items.isEmpty() ? "none" : String.join(", ", items);
    }
}
