package io.servesim.analysis.report;

import static io.servesim.analysis.ResultsSchema.E2E_P95_S;
import static io.servesim.analysis.ResultsSchema.GOODPUT_RPS;
import static io.servesim.analysis.ResultsSchema.THROUGHPUT_RPS;
import static io.servesim.analysis.report.NumberText.count;
import static io.servesim.analysis.report.NumberText.estimate;
import static io.servesim.analysis.report.NumberText.gain;
import static io.servesim.analysis.report.NumberText.number;
import static io.servesim.analysis.report.NumberText.percent;
import static io.servesim.analysis.report.NumberText.shortPercent;

import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.findings.ConfigSummary;
import io.servesim.analysis.findings.FindingRecords.BaselineComparison;
import io.servesim.analysis.findings.FindingRecords.Capacity;
import io.servesim.analysis.findings.FindingRecords.GpuPoint;
import io.servesim.analysis.findings.FindingRecords.GpuSeries;
import io.servesim.analysis.findings.FindingRecords.KPoint;
import io.servesim.analysis.findings.FindingRecords.KSeries;
import io.servesim.analysis.findings.FindingRecords.KVerdict;
import io.servesim.analysis.findings.FindingRecords.Ranked;
import io.servesim.analysis.findings.FindingRecords.ResourceRow;
import io.servesim.analysis.findings.FindingRecords.Resources;
import io.servesim.analysis.findings.FindingRecords.SaturatedConfiguration;
import io.servesim.analysis.findings.FindingRecords.Sla;
import io.servesim.analysis.findings.FindingRecords.SlaRow;
import io.servesim.analysis.findings.FindingRecords.Tail;
import io.servesim.analysis.findings.FindingRecords.VolumeRanking;
import io.servesim.analysis.findings.FindingRules;
import io.servesim.analysis.findings.Findings;
import io.servesim.analysis.findings.RunDescription;
import io.servesim.analysis.findings.StepFindings;
import io.servesim.analysis.report.FindingsDocument.Block;
import io.servesim.analysis.report.FindingsDocument.Bullets;
import io.servesim.analysis.report.FindingsDocument.Paragraph;
import io.servesim.analysis.report.FindingsDocument.Section;
import io.servesim.analysis.report.FindingsDocument.TableBlock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes the findings in words: every number comes from {@link Findings}. The document opens with what the report
 * is (its title), a summary of one line per step and what was simulated; each step then leads with saturation
 * and capacity, its own findings, resource use, the SLA discussion, the long tail and a table of configurations,
 * with the figures that illustrate it.
 */
public final class FindingsNarrative {

    /** Lists longer than this are tables, not sentences. */
    static final int LONGEST_SENTENCE_LIST = 5;

    /** The findings without figures. */
    public FindingsDocument narrate(Findings findings) {
        return narrate(findings, List.of());
    }

    /** The findings, each step with the figures made for it. */
    public FindingsDocument narrate(Findings findings, List<Figure> figures) {
        return narrate(findings, figures, Map.of());
    }

    /**
     * The findings, each step with the figures made for it and, in words, the figures not drawn because they would
     * carry no information ({@code omitted}: per step, why).
     */
    public FindingsDocument narrate(Findings findings, List<Figure> figures, Map<String, List<String>> omitted) {
        RunDescription d = findings.description();
        List<String> preamble = List.of("Computed from " + String.join(", ", findings.inputFiles())
                + (d.configNote() == null ? " and config.json" : "")
                + ". Every number below comes from these files; the rules applied are listed at the end.");
        List<Section> sections = new ArrayList<>();
        sections.add(new Section(2, "Summary", List.of(new Bullets(summary(findings)))));
        sections.add(new Section(2, "What was simulated", List.of(simulated(findings))));
        for (StepFindings step : findings.steps()) {
            sections.addAll(step(step, figures.stream().filter(f -> f.step().equals(step.step()))
                    .map(Figure::name).toList(), omitted.getOrDefault(step.step(), List.of())));
        }
        sections.add(new Section(2, "Rules", List.of(new Bullets(findings.rules()))));
        return new FindingsDocument(d.title(), preamble, sections);
    }

    /** One line on what was simulated, then one headline per step. */
    private static List<String> summary(Findings findings) {
        RunDescription d = findings.description();
        List<String> lines = new ArrayList<>();
        lines.add("Simulated: " + oneLine(d) + ". Step-time model: " + stepTimeModel(d) + ".");
        for (StepFindings step : findings.steps()) {
            lines.add(stepTitle(step) + ": " + headline(step));
        }
        return lines;
    }

    /** "Llama-2-7B on H100-SXM (TP 1 × PP 1), schedulers …, workload stress offered at 200 req/s, …". */
    static String oneLine(RunDescription d) {
        StringBuilder text = new StringBuilder(list(d.models())).append(" on ").append(list(d.gpuTypes()));
        if (!d.parallelism().isEmpty()) {
            text.append(" (").append(String.join(", ", d.parallelism())).append(" per replica)");
        }
        text.append(", scheduler").append(d.schedulers().size() == 1 ? " " : "s ").append(list(d.schedulers()));
        text.append(", workload ").append(d.workload() == null ? "(not recorded)" : d.workload());
        text.append(" offered at ").append(offered(d));
        if (!d.requests().isEmpty()) {
            text.append(", ").append(String.join(" / ", d.requests().stream().map(NumberText::count).toList()))
                    .append(" requests per cell");
        }
        text.append(", seed ").append(d.seed() == null ? "not recorded" : String.valueOf(d.seed()));
        text.append(", ").append(d.replications()).append(d.replications() == 1 ? " replication" : " replications");
        return text.toString();
    }

    private static String offered(RunDescription d) {
        String measured = d.measuredOfferedRps().isEmpty() ? null
                : d.measuredOfferedRps().get(0).equals(d.measuredOfferedRps().get(1))
                        ? number(d.measuredOfferedRps().get(0)) + " req/s"
                        : number(d.measuredOfferedRps().get(0)) + "–" + number(d.measuredOfferedRps().get(1)) + " req/s";
        if (d.offeredRps() != null) {
            return number(d.offeredRps()) + " req/s to every cell" + (measured == null ? "" : " (measured " + measured + ")");
        }
        return measured == null ? "a rate not recorded" : measured + " (measured)";
    }

    private static String stepTimeModel(RunDescription d) {
        if (RunDescription.UNCALIBRATED.equals(d.stepTimeModel())) {
            return RunDescription.UNCALIBRATED + " (config.json names no calibration, so the error of the step times"
                    + " against measurements is unknown)";
        }
        return d.stepTimeModel() + (d.stepTimeModelError() == null ? " (validated error not recorded)"
                : " (validated error " + d.stepTimeModelError() + ")");
    }

    private static Block simulated(Findings findings) {
        RunDescription d = findings.description();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("model", list(d.models())));
        rows.add(List.of("GPU", list(d.gpuTypes())));
        rows.add(List.of("parallelism per replica", d.parallelism().isEmpty() ? "not recorded" : list(d.parallelism())));
        rows.add(List.of("schedulers", list(d.schedulers())));
        rows.add(List.of("routers", d.routers().isEmpty() ? "not recorded" : list(d.routers())));
        rows.add(List.of("engine limits", engine(d)));
        rows.add(List.of("workload", d.workload() == null ? "not recorded"
                : d.workload() + (d.workloadDescription() == null ? "" : " — " + d.workloadDescription())));
        rows.add(List.of("offered load", offered(d)));
        rows.add(List.of("rps scale", d.rpsScales().isEmpty() ? "not recorded"
                : String.join(", ", d.rpsScales().stream().map(NumberText::number).toList())));
        rows.add(List.of("requests per cell", d.requests().isEmpty() ? "not recorded"
                : String.join(", ", d.requests().stream().map(NumberText::count).toList())));
        rows.add(List.of("seed", d.seed() == null ? "not recorded" : String.valueOf(d.seed())));
        rows.add(List.of("replications", String.valueOf(d.replications())));
        rows.add(List.of("SLA", d.sla() == null ? "not recorded" : d.sla()));
        rows.add(List.of("step-time model", stepTimeModel(d)));
        rows.add(List.of("command", d.command() == null ? "not recorded" : d.command()));
        rows.add(List.of("simulated by", d.simulatedBy() == null ? "not recorded" : "ServeSim " + d.simulatedBy()));
        rows.add(List.of("analysed by", d.analysedBy() == null ? "not recorded" : "ServeSim " + d.analysedBy()));
        rows.add(List.of("files", String.join(", ", findings.inputFiles())
                + (d.configNote() == null ? ", config.json" : " (" + d.configNote() + ")")));
        return new TableBlock(List.of("what", "value"), rows);
    }

    private static String engine(RunDescription d) {
        if (d.maxNumSeqs() == null && d.maxNumBatchedTokens() == null) {
            return "not recorded";
        }
        return "max_num_seqs " + (d.maxNumSeqs() == null ? "?" : d.maxNumSeqs()) + ", max_num_batched_tokens "
                + (d.maxNumBatchedTokens() == null ? "?" : d.maxNumBatchedTokens()) + ", chunked prefill "
                + (d.chunkedPrefill() == null ? "?" : d.chunkedPrefill() ? "on" : "off")
                + (d.mixedBatches() == null ? "" : d.mixedBatches() ? ", prefill and decode mixed in an iteration"
                        : ", unmixed batches (decodes wait while prompts are prefilled)");
    }

    private static String list(List<String> values) {
        return values.isEmpty() ? "not recorded" : String.join(", ", values);
    }

    private static String headline(StepFindings step) {
        if (step.capacity().isEmpty()) {
            return kindHeadline(step);
        }
        Capacity best = step.capacity().get(0);
        return "capacity under SLA up to " + number(best.capacityRpsPerGpu()) + " req/s per GPU ("
                + best.configuration() + "); " + kindHeadline(step);
    }

    private static String kindHeadline(StepFindings step) {
        String saturation = step.saturated().isEmpty() ? "no configuration saturated"
                : step.saturated().size() + " of " + step.configurations().size() + " configurations saturated";
        return switch (step.kind()) {
            case REQUEST_SCALING -> {
                VolumeRanking largest = step.requestScaling().volumes().get(step.requestScaling().volumes().size() - 1);
                String top = largest.byThroughput().isEmpty() ? "" : "; highest throughput at " + count(largest.requests())
                        + " requests: " + largest.byThroughput().get(0).configuration() + " ("
                        + estimate(largest.byThroughput().get(0).value()) + " req/s)";
                yield saturation + " (their queues grow)" + top + ".";
            }
            case GPU_SCALING -> String.join(" ", step.gpuScaling().series().stream()
                    .map(FindingsNarrative::gpuHeadline).toList());
            case KBINS_SENSITIVITY -> String.join(" ", step.kBins().series().stream()
                    .map(FindingsNarrative::kHeadline).toList());
            case COMPARISON -> {
                List<Ranked> goodput = step.comparison().byGoodput();
                yield saturation + (goodput.isEmpty() ? "." : "; highest goodput: " + goodput.get(0).configuration()
                        + " (" + estimate(goodput.get(0).value()) + " req/s).");
            }
        };
    }

    private static String gpuHeadline(GpuSeries s) {
        StringBuilder text = new StringBuilder();
        if (s.offeredRps() != null) {
            text.append("offered ").append(number(s.offeredRps())).append(" req/s at every GPU count; ");
        }
        if (!s.saturatedGpus().isEmpty()) {
            text.append("saturated on ").append(gpuList(s.saturatedGpus())).append(" GPUs");
        } else {
            text.append("no GPU count saturated");
        }
        if (s.keepsUpFromGpus() != null && !s.saturatedGpus().isEmpty()) {
            text.append(", keeps up with the load from ").append(s.keepsUpFromGpus())
                    .append(" GPUs (the offered load, not the system, limits throughput there)");
        }
        text.append("; best GPU count ").append(s.bestGpus()).append('.');
        return text.toString();
    }

    private static String kHeadline(KSeries s) {
        return switch (s.verdict()) {
            case RECOMMENDED -> {
                KPoint p = s.points().stream().filter(x -> x.k() == s.recommendedK()).findFirst().orElseThrow();
                yield "recommended K = " + s.recommendedK() + " on " + s.series() + " — goodput " + estimate(p.goodputRps())
                        + " req/s, " + gain(p.goodputVsBase(), "vs K=" + s.baseK()) + ".";
            }
            case NO_SIGNIFICANT_DIFFERENCE -> "no significant difference between K values on " + s.series()
                    + "; no K is recommended.";
            case IDENTICAL -> "no difference between K values on " + s.series()
                    + ": every K gives the same result; no K is recommended.";
        };
    }

    private static List<Section> step(StepFindings step, List<String> figures, List<String> omitted) {
        List<Section> sections = new ArrayList<>();
        List<Block> lead = new ArrayList<>(leadBlocks(step));
        if (!omitted.isEmpty()) {
            lead.add(new Paragraph("Figures left out because they would carry no information:"));
            lead.add(new Bullets(omitted));
        }
        sections.add(new Section(2, stepTitle(step), lead, figures));
        switch (step.kind()) {
            case REQUEST_SCALING -> step.requestScaling().volumes()
                    .forEach(v -> sections.add(new Section(3, "At " + count(v.requests()) + " requests", volume(v))));
            case GPU_SCALING -> step.gpuScaling().series()
                    .forEach(s -> sections.add(new Section(3, "GPU scaling: " + s.series(), gpuSeries(s))));
            case KBINS_SENSITIVITY -> step.kBins().series()
                    .forEach(s -> sections.add(new Section(3, "K-bins sensitivity: " + s.series(), kSeries(s))));
            case COMPARISON -> sections.add(new Section(3, "Ranking of configurations", comparison(step)));
        }
        resources(step.resources()).ifPresent(blocks -> sections.add(new Section(3, "Resource use", blocks)));
        sections.add(new Section(3, "SLA: per-token normalised vs absolute request SLA", sla(step.sla())));
        sections.add(new Section(3, "Long tail", tails(step.tails())));
        sections.add(new Section(3, "Configurations", List.of(configurationTable(step.configurations()))));
        return sections;
    }

    static String stepTitle(StepFindings step) {
        return switch (step.kind()) {
            case REQUEST_SCALING -> "Step 1: request scaling";
            case GPU_SCALING -> "Step 2: GPU scaling";
            case KBINS_SENSITIVITY -> "Step 3: K-bins sensitivity";
            case COMPARISON -> "Study " + step.step();
        };
    }

    private static List<Block> leadBlocks(StepFindings step) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Paragraph("Headline: " + headline(step)));
        if (!step.capacity().isEmpty()) {
            Capacity best = step.capacity().get(0);
            List<String> tied = step.capacity().stream().filter(c -> c.rank() == 1 && c != best)
                    .map(Capacity::configuration).toList();
            blocks.add(new Paragraph("Capacity per GPU under SLA: highest for " + best.configuration() + " at "
                    + number(best.capacityRpsPerGpu()) + " req/s per GPU (" + estimate(best.capacityRps())
                    + " req/s on " + best.gpus() + " GPUs)"
                    + (tied.isEmpty() ? "." : ", tied within the capacity search's tolerance with "
                            + String.join(", ", tied) + ".")));
            blocks.add(new TableBlock(List.of("rank", "configuration", "capacity under SLA (req/s)", "GPUs",
                    "per GPU (req/s)"),
                    step.capacity().stream().map(c -> List.of(String.valueOf(c.rank()), c.configuration(),
                            estimate(c.capacityRps()), String.valueOf(c.gpus()), number(c.capacityRpsPerGpu())))
                            .toList()));
        }
        List<SaturatedConfiguration> saturated = step.saturated();
        if (saturated.isEmpty()) {
            blocks.add(new Paragraph("No configuration saturated: all " + step.configurations().size()
                    + " kept up with their arrivals (no waiting queue grew over the run)."));
        } else {
            blocks.add(new Paragraph(saturated.size() + " of " + step.configurations().size()
                    + " configurations saturated: they could not keep up with their arrivals, their waiting queue grew"
                    + " over the run. A saturated configuration's completion rate estimates its service capacity; its"
                    + " latencies measure the run length, so it is not ranked by latency."));
            blocks.add(new TableBlock(List.of("saturated configuration", "offered (req/s)",
                    "estimated capacity (req/s)", "waiting queue, mid → last arrival", "queue trend per arrival",
                    "arrivals / completions"),
                    saturated.stream().map(s -> List.of(s.configuration(), number(s.offeredRps()),
                            number(s.estimatedCapacityRps()), queue(s), number(s.queueTrendFraction()),
                            number(s.overloadRatio()))).toList()));
            List<String> massive = saturated.stream()
                    .filter(s -> s.overloadRatio() != null && s.overloadRatio() >= FindingRules.MASSIVE_OVERLOAD_RATIO)
                    .map(SaturatedConfiguration::configuration).toList();
            if (!massive.isEmpty()) {
                blocks.add(new Paragraph("Warning: " + massive.size() + " of them " + (massive.size() == 1 ? "is" : "are")
                        + " offered at least " + Math.round(FindingRules.MASSIVE_OVERLOAD_RATIO) + "× what "
                        + (massive.size() == 1 ? "it" : "they") + " could serve (" + list(massive)
                        + "): massively overloaded, so their latencies and goodput describe how long the queue grew,"
                        + " not the system. Offer about the estimated capacity to study them."));
            }
        }
        return blocks;
    }

    private static String queue(SaturatedConfiguration s) {
        if (s.queueAtMidArrival() == null || s.queueAtLastArrival() == null) {
            return "n/a";
        }
        return count(Math.round(s.queueAtMidArrival())) + " → " + count(Math.round(s.queueAtLastArrival()));
    }

    private static List<Block> volume(VolumeRanking v) {
        List<Block> blocks = new ArrayList<>(ranking("Throughput ranking", v.byThroughput(), "throughput (req/s)", " req/s"));
        if (v.byP95E2e().isEmpty()) {
            blocks.add(new Paragraph("p95 e2e latency ranking (unsaturated only): no unsaturated configuration."));
        } else {
            blocks.addAll(ranking("p95 e2e latency ranking (unsaturated only)", v.byP95E2e(), "p95 e2e (s)", " s"));
        }
        exclusion(v.excludedFromLatencyRanking()).ifPresent(blocks::add);
        if (v.baselineNote() != null) {
            blocks.add(new Paragraph("Relative gains: " + v.baselineNote() + "."));
        } else if (v.versusBaseline().size() > LONGEST_SENTENCE_LIST) {
            blocks.add(new Paragraph("Against the " + FindingRules.BASELINE_SCHEDULER + " baseline at "
                    + count(v.requests()) + " requests:"));
            blocks.add(new TableBlock(List.of("configuration", "baseline", "throughput change", "p95 e2e change"),
                    v.versusBaseline().stream().map(c -> List.of(c.configuration(), c.baseline(),
                            gain(c.throughput(), ""), c.p95E2e() == null ? c.p95Note() : gain(c.p95E2e(), ""))).toList()));
        } else if (!v.versusBaseline().isEmpty()) {
            blocks.add(new Bullets(v.versusBaseline().stream().map(c -> comparisonText(c, v.requests())).toList()));
        }
        return blocks;
    }

    /** A ranking in one sentence when it is short, else a table: lists of many cells read better as tables. */
    private static List<Block> ranking(String title, List<Ranked> ranked, String column, String unit) {
        if (ranked.size() <= LONGEST_SENTENCE_LIST) {
            return List.of(new Paragraph(title + ": " + ranking(ranked, unit) + "."));
        }
        return List.of(new Paragraph(title + ":"), new TableBlock(List.of("rank", "configuration", column),
                ranked.stream().map(r -> List.of(String.valueOf(r.rank()), r.configuration(), estimate(r.value())))
                        .toList()));
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
        return Optional.of(new Paragraph("Latency ranking excludes " + excluded.size() + " saturated cells"
                + (excluded.size() > LONGEST_SENTENCE_LIST ? " (see the saturated configurations above)"
                        : ": " + String.join(", ", excluded))
                + "; their latencies measure the run length, not the service."));
    }

    private static String ranking(List<Ranked> ranked, String unit) {
        return String.join("; ", ranked.stream()
                .map(r -> r.rank() + ". " + r.configuration() + " " + estimate(r.value()) + unit).toList());
    }

    private static List<Block> gpuSeries(GpuSeries s) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new TableBlock(
                List.of("GPUs", "offered per GPU (req/s)", "throughput (req/s)", "goodput (req/s)", "saturated",
                        "capacity per GPU (req/s)", "capacity efficiency", "goodput change vs previous count"),
                s.points().stream().map(p -> List.of(String.valueOf(p.gpus()), number(p.offeredRpsPerGpu()),
                        estimate(p.throughputRps()), estimate(p.goodputRps()), p.saturated() ? "yes" : "no",
                        p.saturated() ? number(p.throughputPerGpu()) : "— (keeps up)",
                        p.capacityEfficiency() == null ? "—" : percent(p.capacityEfficiency()),
                        p.goodputGainFromPrevious() == null ? "—" : gain(p.goodputGainFromPrevious(), ""))).toList()));
        List<String> items = new ArrayList<>();
        GpuPoint first = s.points().get(0);
        GpuPoint last = s.points().get(s.points().size() - 1);
        if (s.offeredRps() != null) {
            items.add("The offered load is the same at every GPU count: " + number(s.offeredRps()) + " req/s, from "
                    + number(first.offeredRpsPerGpu()) + " req/s per GPU on " + first.gpus() + " to "
                    + number(last.offeredRpsPerGpu()) + " on " + last.gpus() + ".");
        }
        List<GpuPoint> saturated = s.points().stream().filter(GpuPoint::saturated).toList();
        if (!saturated.isEmpty()) {
            GpuPoint a = saturated.get(0);
            GpuPoint b = saturated.get(saturated.size() - 1);
            items.add("Saturated on " + gpuList(s.saturatedGpus()) + " GPUs: there the queue grows and throughput is the"
                    + " service capacity, " + number(a.throughputPerGpu()) + " req/s per GPU on " + a.gpus()
                    + (a == b ? "" : " and " + number(b.throughputPerGpu()) + " on " + b.gpus()
                            + " (capacity efficiency " + percent(b.capacityEfficiency()) + ")") + ".");
        }
        if (s.keepsUpFromGpus() != null) {
            items.add(saturated.isEmpty()
                    ? "No GPU count saturated: every count keeps up with the offered load, so throughput follows the"
                            + " load, not the GPUs. These runs say nothing about how capacity scales; raise the load"
                            + " (--rps-scale) to measure it."
                    : "From " + s.keepsUpFromGpus() + " GPUs on the cluster keeps up with the offered load: throughput"
                            + " equals what arrives, so more GPUs cannot raise it. The flattening is set by the offered"
                            + " load, not lost by the system; throughput per GPU falls because the same load is spread"
                            + " over more GPUs.");
        } else {
            items.add("Every GPU count is saturated at this load: even " + last.gpus()
                    + " GPUs cannot keep up, so the ladder measures capacity throughout.");
        }
        if (s.goodputLevelsOffGpus() == null) {
            items.add("Goodput does not level off: every step of the ladder adds at least "
                    + shortPercent(FindingRules.GOODPUT_PLATEAU_GAIN) + " goodput.");
        } else {
            items.add("Goodput levels off past " + s.goodputLevelsOffGpus() + " GPUs: the next count adds less than "
                    + shortPercent(FindingRules.GOODPUT_PLATEAU_GAIN) + ".");
        }
        GpuPoint max = s.points().stream().filter(p -> p.gpus() == s.maxGoodputGpus()).findFirst().orElseThrow();
        items.add("Best GPU count: " + s.bestGpus() + " GPUs (rule: the smallest count within "
                + shortPercent(FindingRules.BEST_GPU_TOLERANCE) + " of the best goodput, " + estimate(max.goodputRps())
                + " req/s at " + max.gpus() + " GPUs).");
        blocks.add(new Bullets(items));
        return blocks;
    }

    /** "1–8" for a contiguous run of the ladder, else "1, 2, 8". */
    static String gpuList(List<Integer> gpus) {
        if (gpus.size() > 2) {
            return gpus.get(0) + "–" + gpus.get(gpus.size() - 1);
        }
        return gpus.stream().map(String::valueOf).collect(Collectors.joining(" and "));
    }

    private static List<Block> kSeries(KSeries s) {
        List<Block> blocks = new ArrayList<>();
        String vs = " vs K=" + s.baseK();
        blocks.add(new TableBlock(
                List.of("K", "goodput (req/s)", "goodput" + vs, "p95 TTFT (s)", "p95 TTFT" + vs, "throughput (req/s)",
                        "throughput" + vs, "saturated"),
                s.points().stream().map(p -> List.of(String.valueOf(p.k()), estimate(p.goodputRps()),
                        p.k() == s.baseK() ? "—" : gain(p.goodputVsBase(), ""),
                        estimate(p.ttftP95S()),
                        p.k() == s.baseK() ? "—" : p.ttftP95VsBase() == null ? "not compared (saturated)"
                                : gain(p.ttftP95VsBase(), ""),
                        estimate(p.throughputRps()),
                        p.k() == s.baseK() ? "—" : gain(p.throughputVsBase(), ""),
                        p.saturated() ? "yes" : "no")).toList()));
        List<String> items = new ArrayList<>();
        switch (s.verdict()) {
            case RECOMMENDED -> items.add("Recommended K = " + s.recommendedK() + ": " + s.reason());
            case NO_SIGNIFICANT_DIFFERENCE -> items.add("No significant difference between K values, so no K is"
                    + " recommended: " + s.reason() + ".");
            case IDENTICAL -> items.add("No difference between K values, so no K is recommended: " + s.reason() + ".");
        }
        if (s.verdict() != KVerdict.IDENTICAL) {
            items.add("Highest goodput at K = " + s.bestGoodputK() + (s.verdict() == KVerdict.RECOMMENDED ? "."
                    : ", within the noise of the others."));
        }
        items.add("K is judged on goodput under the SLA first, then p95 TTFT, throughput last (see Rules).");
        blocks.add(new Bullets(items));
        return blocks;
    }

    private static List<Block> comparison(StepFindings step) {
        List<Block> blocks = new ArrayList<>();
        blocks.addAll(ranking("By throughput", step.comparison().byThroughput(), "throughput (req/s)", " req/s"));
        blocks.addAll(ranking("By goodput", step.comparison().byGoodput(), "goodput (req/s)", " req/s"));
        if (step.comparison().byP95E2e().isEmpty()) {
            blocks.add(new Paragraph("By p95 e2e latency (unsaturated only): no unsaturated configuration."));
        } else {
            blocks.addAll(ranking("By p95 e2e latency (unsaturated only)", step.comparison().byP95E2e(), "p95 e2e (s)",
                    " s"));
        }
        exclusion(step.comparison().excludedFromLatencyRanking()).ifPresent(blocks::add);
        return blocks;
    }

    private static Optional<List<Block>> resources(Resources resources) {
        if (resources.rows().isEmpty()) {
            return Optional.empty();
        }
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Paragraph("How full the GPUs were: sequences per iteration (mean batch size)"
                + (resources.maxNumSeqs() == null ? "" : ", the same as a share of max_num_seqs = "
                        + resources.maxNumSeqs() + " (batch occupancy)")
                + ", and the share of KV-cache blocks in use. The busy fraction (time with any work) is listed last"
                + " and is not a utilisation: a GPU running a batch of one is as busy as one running a full batch."));
        blocks.add(new TableBlock(List.of("configuration", "mean batch (sequences)", "batch occupancy", "KV use, mean",
                "KV use, peak", "busy fraction"),
                resources.rows().stream().map(FindingsNarrative::resourceRow).toList()));
        return Optional.of(blocks);
    }

    private static List<String> resourceRow(ResourceRow r) {
        return List.of(r.configuration(), number(r.meanBatchSize()), percent(r.batchOccupancy()),
                percent(r.kvUsageMean()), percent(r.kvUsagePeak()), percent(r.busyFraction()));
    }

    private static List<Block> sla(Sla sla) {
        List<Block> blocks = new ArrayList<>();
        String limit = shortPercent(FindingRules.VIOLATION_LIMIT);
        List<String> items = new ArrayList<>();
        items.add("Per-token normalised SLA violated for more than " + limit + " of arrivals by "
                + countOf(sla.normViolationAboveLimit(), sla.rows().size()) + ".");
        items.add("Absolute request SLA (TTFT and TPOT deadlines) violated for more than " + limit + " of arrivals by "
                + countOf(sla.requestViolationAboveLimit(), sla.rows().size()) + ".");
        items.add("p95 TTFT above the TTFT deadline: " + countOf(sla.ttftP95AboveDeadline(), sla.rows().size()) + ".");
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

    /** "all 10 configurations", "none", the names when a few, else a count (the table below names them). */
    private static String countOf(List<String> names, int of) {
        if (names.isEmpty()) {
            return "none";
        }
        if (names.size() == of && of > 2) {
            return "all " + of + " configurations";
        }
        return names.size() > LONGEST_SENTENCE_LIST ? names.size() + " of " + of + " configurations (see the table)"
                : String.join(", ", names);
    }

    private static List<String> slaRow(SlaRow r) {
        return List.of(r.configuration() + (r.dataError() ? " (data error)" : ""), percent(r.normViolationRate()),
                number(r.normDeadlineSPerToken()), percent(r.requestViolationRate()), number(r.ttftDeadlineS()),
                number(r.tpotDeadlineS()), number(r.ttftP95S()), number(r.e2eP95S()), number(r.e2eP99S()));
    }

    private static List<Block> tails(List<Tail> tails) {
        List<Block> blocks = new ArrayList<>();
        tails.stream().filter(t -> t.e2eP99OverP50() != null && !t.saturated())
                .max(Comparator.comparingDouble(Tail::e2eP99OverP50))
                .ifPresentOrElse(t -> blocks.add(new Paragraph("Longest e2e tail among unsaturated configurations: "
                                + t.configuration() + " with p99/p50 = " + number(t.e2eP99OverP50()) + ".")),
                        () -> blocks.add(new Paragraph("Every configuration is saturated: its tail includes the growth of"
                                + " its queue, so the ratios below describe the run, not the service.")));
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
                        c.saturated() ? "— (saturated)" : estimate(c.metric(E2E_P95_S)),
                        c.saturated() ? "yes" : "no")).toList());
    }

    private static List<String> minus(List<String> a, List<String> b) {
        return a.stream().filter(x -> !b.contains(x)).toList();
    }

    private static String listOrNone(List<String> items) {
        return items.isEmpty() ? "none" : String.join(", ", items);
    }
}
