package io.servesim.experiments.catalog;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.catalog.CatalogEntries;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.ModelSpec;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code servesim catalog list}: every model and GPU of a catalog as two aligned tables with the numbers that tell
 * them apart. Entries of a user file are marked with {@code *}.
 */
public final class CatalogListing {
    private static final double GIB = 1024.0 * 1024.0 * 1024.0;

    private CatalogListing() {
    }

    /** e.g. {@code 8/k2}, {@code 64+2/k6} (routed + shared experts / experts per token), {@code -} when dense. */
    private static String experts(ModelSpec m) {
        if (m.moe() == null) {
            return "-";
        }
        return m.moe().experts() + (m.moe().sharedExperts() > 0 ? "+" + m.moe().sharedExperts() : "") + "/k"
                + m.moe().expertsPerToken();
    }

    /** The two tables, models first. */
    public static String render(Catalog catalog) {
        Set<String> userFiles = new LinkedHashSet<>();
        StringBuilder sb = new StringBuilder();
        CatalogEntries<ModelSpec> models = catalog.models();
        sb.append("Models (").append(models.all().size()).append(")\n");
        AlignedTable modelTable = new AlignedTable("name", "params (B)", "active (B)", "experts", "layers", "hidden",
                "heads/KV", "head dim", "context", "weights (GiB)", "KV/token (KiB)");
        for (ModelSpec m : models.all()) {
            modelTable.row(name(m.name(), models, userFiles), format("%.2f", m.totalParams() / 1e9),
                    format("%.2f", m.activeParams() / 1e9), experts(m), Integer.toString(m.layers()), Integer.toString(m.hidden()), m.heads() + "/" + (m.mla() != null ? "MLA" : m.kvHeads()),
                    Integer.toString(m.headDim()), Integer.toString(m.maxContextTokens()),
                    format("%.2f", m.weightBytes() / GIB), CatalogEntryView.plain(m.kvBytesPerToken() / 1024));
        }
        sb.append(modelTable.render());
        CatalogEntries<GpuSpec> gpus = catalog.gpus();
        sb.append("\nGPUs (").append(gpus.all().size()).append(")\n");
        AlignedTable gpuTable = new AlignedTable("name", "peak TFLOPS", "FP8 TFLOPS", "HBM (GiB)", "HBM (GB/s)",
                "link (GB/s)");
        for (GpuSpec g : gpus.all()) {
            gpuTable.row(name(g.name(), gpus, userFiles), CatalogEntryView.plain(g.peakTflops()),
                    g.peakFp8Tflops() > 0 ? CatalogEntryView.plain(g.peakFp8Tflops()) : "-",
                    CatalogEntryView.plain(g.hbmGiB()), CatalogEntryView.plain(g.hbmBandwidthGBps()),
                    CatalogEntryView.plain(g.nvlinkBandwidthGBps()));
        }
        sb.append(gpuTable.render());
        sb.append("\nweights and KV at bytes_per_param; active: weights one token passes (k routed + shared experts);"
                + " experts: routed(+shared)/k per token; KV MLA: latent attention;\npeak TFLOPS dense BF16/FP16, FP8 '-' without"
                + " FP8 tensor cores; link: NVLink or PCIe between GPUs of a node.\n'servesim catalog show NAME' prints"
                + " every field.\n");
        for (String file : userFiles) {
            sb.append("* from ").append(file).append('\n');
        }
        return sb.toString();
    }

    private static String name(String name, CatalogEntries<?> entries, Set<String> userFiles) {
        String source = entries.source(name);
        if (source.equals(Catalog.BUNDLED)) {
            return name;
        }
        userFiles.add(source);
        return name + " *";
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}
