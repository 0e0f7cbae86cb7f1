package io.servesim.core.catalog;

import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.model.ModelSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The GPUs and models known to a run, by name: the bundled catalog ({@code io/servesim/core/catalog/gpus.json}
 * and {@code models.json}), extended by an optional user file of the same format.
 *
 * <p>Names match ignoring case: {@code llama-3.1-8b} is {@code Llama-3.1-8B}. A user entry whose name equals a
 * bundled one ignoring case replaces it (whole, not field by field) and brings its own spelling; two entries of
 * one file whose names differ only in case are an error. See {@code docs/catalog.md}.
 */
public final class Catalog {

    /** The {@link CatalogEntries#source} of a bundled entry. */
    public static final String BUNDLED = "bundled";

    private static final String GPUS_RESOURCE = "io/servesim/core/catalog/gpus.json";
    private static final String MODELS_RESOURCE = "io/servesim/core/catalog/models.json";

    private final CatalogEntries<GpuSpec> gpus;
    private final CatalogEntries<ModelSpec> models;

    private Catalog(CatalogEntries<GpuSpec> gpus, CatalogEntries<ModelSpec> models) {
        this.gpus = gpus;
        this.models = models;
    }

    /** The bundled catalog. */
    public static Catalog load() {
        return load(Optional.empty());
    }

    /** The bundled catalog, extended (and overridden by name, ignoring case) by {@code userFile} when present. */
    public static Catalog load(Optional<Path> userFile) {
        CatalogEntries<GpuSpec> gpus = new CatalogEntries<>("gpu", GpuSpec::name);
        CatalogEntries<ModelSpec> models = new CatalogEntries<>("model", ModelSpec::name);
        add(ConfigMapper.readResource(GPUS_RESOURCE, CatalogFile.class), BUNDLED, gpus, models);
        add(ConfigMapper.readResource(MODELS_RESOURCE, CatalogFile.class), BUNDLED, gpus, models);
        userFile.ifPresent(file -> add(ConfigMapper.read(file, CatalogFile.class), file.toString(), gpus, models));
        return new Catalog(gpus, models);
    }

    private static void add(CatalogFile file, String source, CatalogEntries<GpuSpec> gpus,
                            CatalogEntries<ModelSpec> models) {
        gpus.addFile(file.gpus(), "gpus", source);
        models.addFile(file.models(), "models", source);
    }

    /**
     * This catalog with {@code gpu} added, or replacing the GPU of its name (what a fit tries for a candidate
     * calibration); {@code source} says where it comes from.
     */
    public Catalog withGpu(GpuSpec gpu, String source) {
        return new Catalog(gpus.with(gpu, source), models);
    }

    /** The GPU named {@code name} (ignoring case); an unknown name is a {@link io.servesim.core.config.ConfigException}. */
    public GpuSpec gpu(String name) {
        return gpus.get(name);
    }

    /** The model named {@code name} (ignoring case); an unknown name is a {@link io.servesim.core.config.ConfigException}. */
    public ModelSpec model(String name) {
        return models.get(name);
    }

    /** The GPUs, with their sources. */
    public CatalogEntries<GpuSpec> gpus() {
        return gpus;
    }

    /** The models, with their sources. */
    public CatalogEntries<ModelSpec> models() {
        return models;
    }

    /** The GPU names as spelled in their files, in catalog order. */
    public List<String> gpuNames() {
        return gpus.names();
    }

    /** The model names as spelled in their files, in catalog order. */
    public List<String> modelNames() {
        return models.names();
    }
}
