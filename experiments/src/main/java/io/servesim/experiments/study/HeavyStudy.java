package io.servesim.experiments.study;

import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.memory.MemoryFit;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.scenario.Scenario;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code heavy}: the six-profile {@code heavy} workload (prompts up to ≈6,000 tokens and beyond), one GPU against
 * tensor parallelism over 8 GPUs, each with and without chunked prefill: success rate, throughput and TTFT. The
 * default model, Llama-3-8B, has the 8K context those prompts need and fits on one GPU, so all four
 * configurations run; with {@code --model} a larger one can be compared, and a deployment whose weights do not fit
 * is not run: the study reports it with the memory arithmetic instead.
 */
public final class HeavyStudy implements Study {
    /** The model when {@code --model} is not given. */
    public static final String DEFAULT_MODEL = "Llama-3-8B";
    /** The tensor-parallel degrees compared. */
    static final List<Integer> TP_DEGREES = List.of(1, 8);

    @Override
    public String name() {
        return "heavy";
    }

    @Override
    public String description() {
        return "heavy workload on " + DEFAULT_MODEL + ": 1 GPU vs TP=8, with and without chunked prefill";
    }

    @Override
    public String defaultWorkload() {
        return "heavy";
    }

    @Override
    public StudyDesign design(StudySettings settings) {
        Scenario template = settings.template();
        String model = settings.model() != null ? settings.model() : DEFAULT_MODEL;
        List<Cell> cells = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int replications = settings.replicationsOr(1);
        for (int tp : TP_DEGREES) {
            DeploymentConfig deployment = template.deployment().withModelAndGpu(model, template.deployment().gpu())
                    .withParallelism(tp, 1, 1);
            MemoryFit fit = deployment.resolve(deployment.loadCatalog()).memoryFit();
            if (fit instanceof MemoryFit.DoesNotFit) {
                notes.add(place(tp) + ": not run (both prefill modes): " + fit.describe());
                continue;
            }
            for (boolean chunked : new boolean[] {false, true}) {
                String key = name() + "-tp" + tp + (chunked ? "-chunked" : "-whole");
                String label = place(tp) + (chunked ? ", chunked prefill" : ", whole prefill");
                Scenario scenario = template.withDeployment(deployment)
                        .withEngine(template.engine().withChunkedPrefill(chunked))
                        .withWorkload(settings.workload());
                for (int r = 0; r < replications; r++) {
                    cells.add(Cell.seeded(key, name(), label, r, scenario, settings.seed()));
                }
            }
        }
        return new StudyDesign(cells, notes);
    }

    private static String place(int tp) {
        return tp == 1 ? "1 GPU" : "TP=" + tp;
    }

    @Override
    public void printSummary(PrintWriter out, StudyDesign design, List<FinishedCell> cells) {
        out.printf(Locale.ROOT, "  %-28s %9s %10s %11s %10s %10s  %s%n", "configuration", "success", "req/s", "tokens/s",
                "TTFT p50", "TTFT p95", "failures");
        for (ConfigurationMeans c : ConfigurationMeans.of(cells)) {
            out.printf(Locale.ROOT, "  %-28s %8.1f%% %10.2f %11.0f %9.3fs %9.3fs  %s%n", c.label(),
                    100 * c.mean("success_rate"), c.mean("throughput_rps"), c.mean("throughput_tokens_per_s"),
                    c.mean("ttft_p50_s"), c.mean("ttft_p95_s"), failures(c));
        }
        design.notes().forEach(note -> out.println("  " + note));
    }

    private static String failures(ConfigurationMeans c) {
        StringBuilder text = new StringBuilder();
        for (String reason : List.of("exceeds_context", "exceeds_kv_capacity", "exceeds_token_budget", "queue_full", "timeout")) {
            double count = c.mean("failed_" + reason);
            if (count > 0) {
                text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f", reason, count));
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}
