package io.servesim.experiments.study;

import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.SchedulerChoice;
import io.servesim.schedulers.SchedulerSpec;
import io.servesim.schedulers.StreamStrategy;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code schedulers}: one-stream serving ({@code simple}) against {@code parallel_stream} with each of its
 * stream strategies (round_robin, smart, balanced), several seeds each, on the {@code mixed} workload by default
 * (large prompts next to long generations, which the smart strategy separates). The table gives each
 * configuration's means over seeds and its change against {@code simple}.
 */
public final class SchedulersStudy implements Study {
    /** Seeds per configuration when {@code --replications} is not given. */
    static final int DEFAULT_REPLICATIONS = 3;
    private static final String BASELINE = "simple";
    private static final List<String> COLUMNS = List.of("throughput_rps", "goodput_rps", "ttft_p95_s", "e2e_p95_s");

    @Override
    public String name() {
        return "schedulers";
    }

    @Override
    public String description() {
        return "simple vs parallel_stream (round_robin, smart, balanced), averaged over seeds";
    }

    @Override
    public String defaultWorkload() {
        return "mixed";
    }

    @Override
    public StudyDesign design(StudySettings settings) {
        Scenario template = settings.template();
        SchedulerSpec.ParallelStream given = template.scheduling().scheduler() instanceof SchedulerSpec.ParallelStream p
                ? p : new SchedulerSpec.ParallelStream(null, null, null, null);
        List<SchedulerSpec> schedulers = new ArrayList<>();
        schedulers.add(new SchedulerSpec.Simple());
        for (StreamStrategy strategy : StreamStrategy.values()) {
            schedulers.add(new SchedulerSpec.ParallelStream(given.streams(), given.overlapEfficiency(), strategy,
                    given.contextRatioThreshold()));
        }
        List<Cell> cells = new ArrayList<>();
        int replications = settings.replicationsOr(DEFAULT_REPLICATIONS);
        for (SchedulerSpec scheduler : schedulers) {
            String variant = scheduler instanceof SchedulerSpec.ParallelStream p ? strategyName(p) : "";
            String key = name() + "-" + scheduler.typeName() + (variant.isEmpty() ? "" : "-" + variant);
            String label = scheduler instanceof SchedulerSpec.ParallelStream p
                    ? "parallel_stream " + variant + " (" + p.streams() + " streams)" : BASELINE;
            Scenario scenario = template.withScheduling(new SchedulerChoice(scheduler, template.scheduling().router()))
                    .withWorkload(settings.workload());
            for (int r = 0; r < replications; r++) {
                cells.add(Cell.seeded(key, name(), label, r, scenario, settings.seed()));
            }
        }
        return new StudyDesign(cells, List.of());
    }

    private static String strategyName(SchedulerSpec.ParallelStream p) {
        return p.strategy().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void printSummary(PrintWriter out, StudyDesign design, List<FinishedCell> cells) {
        List<ConfigurationMeans> configurations = ConfigurationMeans.of(cells);
        ConfigurationMeans baseline = configurations.get(0);
        out.printf(Locale.ROOT, "  %-40s %5s %18s %18s %18s %18s%n", "configuration (mean over seeds)", "runs",
                "req/s", "goodput req/s", "TTFT p95 s", "e2e p95 s");
        for (ConfigurationMeans c : configurations) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-40s %5d", c.label(), c.rows().size()));
            for (String column : COLUMNS) {
                double value = c.mean(column);
                String change = c == baseline ? "" : String.format(Locale.ROOT, "(%+.1f%%)",
                        100 * (value / baseline.mean(column) - 1));
                row.append(String.format(Locale.ROOT, " %9.3f %8s", value, change));
            }
            out.println(row);
        }
        out.println("  changes are against " + BASELINE + "; for TTFT and e2e latency a negative change is an improvement");
    }
}
