package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Where the values of one axis key come from: listed in the plan file (a list, or a range expanded when read), a
 * named ladder of the plan (all of it, or its largest value), or derived from the rows of an earlier step.
 */
public sealed interface ValueSource {
    /** Values written in the plan file (a range is expanded into them when the file is read). */
    record Literal(List<JsonNode> values) implements ValueSource {
        public Literal {
            values = List.copyOf(values);
        }
    }

    /**
     * A named ladder of the plan ({@code ladders:}), which flags such as {@code --cap requests=N} can shorten.
     *
     * @param name    the ladder's name
     * @param largest only its largest value, instead of all of it
     */
    record Ladder(String name, boolean largest) implements ValueSource {
    }

    /**
     * One value computed from the rows of an earlier step, e.g. the best GPU count of step 2.
     *
     * @param rule     what is computed
     * @param fromStep the step whose rows it reads
     */
    record Derived(DerivedRule rule, String fromStep) implements ValueSource {
    }
}
