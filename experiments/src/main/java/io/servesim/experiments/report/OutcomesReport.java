package io.servesim.experiments.report;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code outcomes}: per configuration (means over replications) the share of requests that completed, the
 * throughput in requests and tokens, TTFT p50 and p95 and the failures by reason; then the configurations left
 * out.
 */
final class OutcomesReport implements PlanReport {
    private static final List<String> FAILURES = List.of("exceeds_context", "exceeds_kv_capacity",
            "exceeds_token_budget", "queue_full", "timeout");

    @Override
    public String name() {
        return "outcomes";
    }

    @Override
    public String description() {
        return "success rate, throughput, TTFT and failures by reason per configuration";
    }

    @Override
    public List<Path> write(Input input) {
        PrintWriter out = input.out();
        out.printf(Locale.ROOT, "  %-28s %9s %10s %11s %10s %10s  %s%n", "configuration", "success", "req/s",
                "tokens/s", "TTFT p50", "TTFT p95", "failures");
        for (ConfigurationMeans c : input.configurations()) {
            out.printf(Locale.ROOT, "  %-28s %8.1f%% %10.2f %11.0f %9.3fs %9.3fs  %s%n", c.label(),
                    100 * c.mean("success_rate"), c.mean("throughput_rps"), c.mean("throughput_tokens_per_s"),
                    c.mean("ttft_p50_s"), c.mean("ttft_p95_s"), failures(c));
        }
        return List.of();
    }

    private static String failures(ConfigurationMeans c) {
        StringBuilder text = new StringBuilder();
        for (String reason : FAILURES) {
            double count = c.mean("failed_" + reason);
            if (count > 0) {
                text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f", reason, count));
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}
