package io.servesim.core.catalog;

import io.servesim.core.config.ConfigException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The entries of one kind (GPUs or models) of a {@link Catalog}, by name. Names are compared ignoring case
 * ({@link Locale#ROOT}): {@code h100-sxm} finds {@code H100-SXM}. A later file's entry replaces an earlier one whose
 * name is equal ignoring case, keeps its place in the order and brings its own spelling; two entries of one file
 * whose names are equal ignoring case are an error.
 *
 * @param <T> the spec type
 */
public final class CatalogEntries<T> {
    private final String kind;
    private final Function<T, String> nameOf;
    private final Map<String, T> byKey = new LinkedHashMap<>();
    private final Map<String, String> sourceByKey = new HashMap<>();

    CatalogEntries(String kind, Function<T, String> nameOf) {
        this.kind = kind;
        this.nameOf = nameOf;
    }

    /** Adds the entries of one file ({@code list} names its list, e.g. {@code gpus}, for errors). */
    void addFile(List<T> entries, String list, String source) {
        Map<String, Integer> indexInFile = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            T entry = entries.get(i);
            String key = key(nameOf.apply(entry));
            Integer first = indexInFile.putIfAbsent(key, i);
            if (first != null) {
                throw new ConfigException(source + ": " + list + "[" + i + "].name '" + nameOf.apply(entry)
                        + "' repeats " + list + "[" + first + "].name '" + nameOf.apply(entries.get(first))
                        + "' (names are compared ignoring case)");
            }
        }
        for (T entry : entries) {
            String key = key(nameOf.apply(entry));
            byKey.put(key, entry);
            sourceByKey.put(key, source);
        }
    }

    /** A copy of these entries with {@code entry} added, or replacing its namesake, from {@code source}. */
    CatalogEntries<T> with(T entry, String source) {
        CatalogEntries<T> copy = new CatalogEntries<>(kind, nameOf);
        copy.byKey.putAll(byKey);
        copy.sourceByKey.putAll(sourceByKey);
        copy.byKey.put(key(nameOf.apply(entry)), entry);
        copy.sourceByKey.put(key(nameOf.apply(entry)), source);
        return copy;
    }

    /** The entry named {@code name} ignoring case, if any. */
    public Optional<T> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byKey.get(key(name)));
    }

    /**
     * The entry named {@code name} ignoring case; an unknown name is a {@link ConfigException} that suggests near
     * names and lists the known ones.
     */
    public T get(String name) {
        return find(name).orElseThrow(() -> {
            return new ConfigException(kind + " '" + name + "' is not in the catalog; "
                    + SimilarNames.didYouMean(String.valueOf(name), names()) + "known: " + String.join(", ", names()));
        });
    }

    /** Every entry, in catalog order (bundled first, then the user file's new entries). */
    public List<T> all() {
        return List.copyOf(byKey.values());
    }

    /** The names as their files spell them, in catalog order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(byKey.size());
        byKey.values().forEach(entry -> names.add(nameOf.apply(entry)));
        return Collections.unmodifiableList(names);
    }

    /** Where the entry named {@code name} comes from: {@code bundled} or the user file's path. */
    public String source(String name) {
        String source = sourceByKey.get(key(name));
        if (source == null) {
            throw new IllegalArgumentException(kind + " '" + name + "' is not in the catalog");
        }
        return source;
    }

    /** "gpu" or "model". */
    public String kind() {
        return kind;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
