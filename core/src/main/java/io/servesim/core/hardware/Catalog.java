package io.servesim.core.hardware;

import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.model.ModelSpec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The GPUs and models known to a run, by name: the bundled catalog ({@code io/servesim/core/catalog/gpus.json}
 * and {@code models.json}), extended by an optional user file of the same format. A user entry whose name
 * exists in the bundled catalog replaces it.
 */
public final class Catalog {

    private static final String GPUS_RESOURCE = "io/servesim/core/catalog/gpus.json";
    private static final String MODELS_RESOURCE = "io/servesim/core/catalog/models.json";

    private final Map<String, GpuSpec> gpus;
    private final Map<String, ModelSpec> models;

    private Catalog(Map<String, GpuSpec> gpus, Map<String, ModelSpec> models) {
        this.gpus = Collections.unmodifiableMap(gpus);
        this.models = Collections.unmodifiableMap(models);
    }

    /** The bundled catalog. */
    public static Catalog load() {
        return load(Optional.empty());
    }

    /** The bundled catalog, extended (and overridden by name) by {@code userFile} when present. */
    public static Catalog load(Optional<Path> userFile) {
        Map<String, GpuSpec> gpus = new LinkedHashMap<>();
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        add(ConfigMapper.readResource(GPUS_RESOURCE, CatalogFile.class), gpus, models);
        add(ConfigMapper.readResource(MODELS_RESOURCE, CatalogFile.class), gpus, models);
        userFile.ifPresent(file -> add(ConfigMapper.read(file, CatalogFile.class), gpus, models));
        return new Catalog(gpus, models);
    }

    private static void add(CatalogFile file, Map<String, GpuSpec> gpus, Map<String, ModelSpec> models) {
        file.gpus().forEach(gpu -> gpus.put(gpu.name(), gpu));
        file.models().forEach(model -> models.put(model.name(), model));
    }

    /** The GPU named {@code name}; an unknown name is a {@link ConfigException} listing the known ones. */
    public GpuSpec gpu(String name) {
        return find(gpus, name, "gpu");
    }

    /** The model named {@code name}; an unknown name is a {@link ConfigException} listing the known ones. */
    public ModelSpec model(String name) {
        return find(models, name, "model");
    }

    public Set<String> gpuNames() {
        return gpus.keySet();
    }

    public Set<String> modelNames() {
        return models.keySet();
    }

    private static <T> T find(Map<String, T> entries, String name, String kind) {
        T entry = entries.get(name);
        if (entry == null) {
            throw new ConfigException(kind + " '" + name + "' is not in the catalog; known: "
                    + String.join(", ", entries.keySet()));
        }
        return entry;
    }
}
