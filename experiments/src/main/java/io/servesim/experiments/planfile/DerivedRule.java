package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.stress.BestGpuCount;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The rules a derived axis value can follow (a closed set: a plan file names one of them). */
public enum DerivedRule {
    /** {@link BestGpuCount}: the smallest GPU count within 5 % of the best mean goodput of the step. */
    BEST_GPU_COUNT("best_gpu_count");

    private final String key;

    DerivedRule(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The rule named {@code key}; an unknown name is a mistake naming the valid ones. */
    public static DerivedRule of(String key) {
        for (DerivedRule rule : values()) {
            if (rule.key.equals(key)) {
                return rule;
            }
        }
        return null;
    }

    /** The valid names, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(DerivedRule::key).collect(Collectors.joining(", "));
    }

    /** The value over the rows of the step it derives from. */
    public JsonNode apply(List<ResultRow> rows) {
        return switch (this) {
            case BEST_GPU_COUNT -> IntNode.valueOf(BestGpuCount.of(rows).gpus());
        };
    }

    /** How the value was found, for config.json and the summary. */
    public String describe(List<ResultRow> rows) {
        return switch (this) {
            case BEST_GPU_COUNT -> BestGpuCount.of(rows).describe();
        };
    }

    /** A stand-in before the step ran, so that every cell can be checked up front: the largest GPU count of its cells. */
    public JsonNode provisional(List<Integer> gpuCounts) {
        return switch (this) {
            case BEST_GPU_COUNT -> IntNode.valueOf(gpuCounts.stream().mapToInt(Integer::intValue).max().orElse(1));
        };
    }
}
