package io.servesim.core.catalog;

import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.ModelSpec;

import java.util.List;

/**
 * The JSON form of a catalog file: {@code {"gpus": [...], "models": [...]}}, either list may be absent.
 * The bundled {@code gpus.json} and {@code models.json} and a user's own file all have this form.
 */
public record CatalogFile(List<GpuSpec> gpus, List<ModelSpec> models) {
    public CatalogFile {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        models = models == null ? List.of() : List.copyOf(models);
    }
}
