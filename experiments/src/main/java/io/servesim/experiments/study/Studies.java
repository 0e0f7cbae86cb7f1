package io.servesim.experiments.study;

import io.servesim.core.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of studies by name: adding a study is one line here. */
public final class Studies {
    private static final Map<String, Supplier<Study>> BY_NAME = new LinkedHashMap<>();

    static {
        register(HeavyStudy::new);
        register(SchedulersStudy::new);
        register(ParallelismStudy::new);
        register(PrefixStudy::new);
        register(MoeStudy::new);
        register(DisaggregationStudy::new);
    }

    private Studies() {
    }

    private static void register(Supplier<Study> study) {
        BY_NAME.put(study.get().name(), study);
    }

    /** Every study name, in registration order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** A new instance of the study {@code name}; an unknown name fails with the list of studies. */
    public static Study byName(String name) {
        Supplier<Study> study = BY_NAME.get(name);
        if (study == null) {
            throw new ConfigException("unknown study '" + name + "'; studies: " + String.join(", ", names()));
        }
        return study.get();
    }
}
