package io.servesim.experiments.study;

import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.scenario.Scenario;
import io.servesim.experiments.scenario.SchedulerChoice;
import io.servesim.schedulers.RouterSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code prefix}: cache-aware routing against cache-blind routing on {@value #REPLICAS} replicas with prefix caching
 * on, on the {@code shared_prefix_chat} workload by default (64 system prompts, multi-turn chats). The routers:
 * {@code prefix_affinity} (the template's load weight, when it names that router), {@code session_affinity},
 * {@code round_robin} and {@code least_loaded}, several seeds each, every arm on the same requests. The table gives
 * each router's token and request hit rates, prefill tokens computed and TTFT, with changes against round-robin.
 */
public final class PrefixStudy implements Study {
    /** Replicas of every cell (the template's tp and pp are kept). */
    static final int REPLICAS = 8;
    /** Seeds per configuration when {@code --replications} is not given. */
    static final int DEFAULT_REPLICATIONS = 2;
    private static final String BASELINE = "round_robin";

    @Override
    public String name() {
        return "prefix";
    }

    @Override
    public String description() {
        return "prefix_affinity vs session_affinity, round_robin and least_loaded on 8 replicas with prefix caching on";
    }

    @Override
    public String defaultWorkload() {
        return "shared_prefix_chat";
    }

    /** The routers compared, the baseline's position in the table first. */
    static List<RouterSpec> routers(Scenario template) {
        RouterSpec.PrefixAffinity prefix = template.scheduling().router() instanceof RouterSpec.PrefixAffinity p
                ? p : new RouterSpec.PrefixAffinity(null);
        return List.of(new RouterSpec.RoundRobin(), new RouterSpec.LeastLoaded(), new RouterSpec.SessionAffinity(),
                prefix);
    }

    @Override
    public StudyDesign design(StudySettings settings) {
        Scenario template = settings.template();
        Scenario base = template
                .withDeployment(template.deployment().withParallelism(template.deployment().tp(),
                        template.deployment().pp(), REPLICAS))
                .withEngine(template.engine().withPrefixCaching(true))
                .withWorkload(settings.workload());
        List<Cell> cells = new ArrayList<>();
        int replications = settings.replicationsOr(DEFAULT_REPLICATIONS);
        for (RouterSpec router : routers(template)) {
            String label = router instanceof RouterSpec.PrefixAffinity p
                    ? "prefix_affinity (load_weight " + p.loadWeight() + ")" : router.typeName();
            Scenario scenario = base.withScheduling(new SchedulerChoice(template.scheduling().scheduler(), router));
            for (int r = 0; r < replications; r++) {
                cells.add(Cell.seeded(name() + "-" + router.typeName(), name(), label, r, scenario, settings.seed()));
            }
        }
        return new StudyDesign(cells, List.of());
    }

    @Override
    public void printSummary(PrintWriter out, StudyDesign design, List<FinishedCell> cells) {
        List<ConfigurationMeans> configurations = ConfigurationMeans.of(cells);
        ConfigurationMeans baseline = configurations.get(0);
        out.printf(Locale.ROOT, "  %-34s %5s %10s %10s %14s %18s %18s %18s%n", "router (mean over seeds)", "runs",
                "hit tok", "hit req", "prefill tok", "TTFT p50 s", "TTFT p95 s", "e2e p50 s");
        for (ConfigurationMeans c : configurations) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-34s %5d %9.1f%% %9.1f%% %14.0f",
                    c.label(), c.rows().size(), 100 * c.mean("prefix_hit_rate_tokens"),
                    100 * c.mean("prefix_hit_rate_requests"), c.mean("prefill_tokens_computed")));
            for (String column : List.of("ttft_p50_s", "ttft_p95_s", "e2e_p50_s")) {
                double value = c.mean(column);
                String change = c == baseline ? "" : String.format(Locale.ROOT, "(%+.1f%%)",
                        100 * (value / baseline.mean(column) - 1));
                row.append(String.format(Locale.ROOT, " %9.4f %8s", value, change));
            }
            out.println(row);
        }
        out.println("  changes are against " + BASELINE + "; a negative latency change is an improvement");
    }
}
