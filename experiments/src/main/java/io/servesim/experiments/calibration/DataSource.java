package io.servesim.experiments.calibration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuCalibration;
import io.servesim.core.model.ModelSpec;
import io.servesim.core.model.StepTimeProfile;
import io.servesim.core.model.StepTimeProfileCsv;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One table of measurements for a fit or a report: its format ({@code layers}, {@code attention}, {@code splitwise},
 * {@code profile}),
 * its file (a path, or a resource of the bundled calibration data), and what the format does not say itself.
 *
 * @param kind     {@code layers} (LLMServingSim layer table), {@code attention} (LLMServingSim attention table) or
 *                 {@code splitwise} (Splitwise's perf_model.csv) or {@code profile} (ServeSim's step-time profile
 *                 format, whole iterations of the rows whose GPU is the one being fitted)
 * @param file     path of the file; bundled data is named relative to the bundled calibration folder
 * @param model    catalog model the table measured ({@code layers}; optional filter for {@code splitwise})
 * @param tp       TP degree of the table ({@code layers}; optional filter for {@code splitwise})
 * @param hardware Splitwise's hardware name of the rows to read ({@code splitwise}); for {@code profile}, the
 *                 catalog GPU whose rows to read (others are skipped)
 * @param engineOf for whole requests or iterations ({@code splitwise}, {@code profile}): the catalog GPU whose
 *                 serving-engine coefficients the measured engine has, because that GPU was fitted on the same
 *                 engine's runs; null = those of the GPU being fitted or judged
 */
public record DataSource(String kind, String file, String model, Integer tp, String hardware, String engineOf) {
    private static final String BUNDLED = "io/servesim/experiments/calibration/";
    private static final List<String> KINDS = List.of("layers", "attention", "splitwise", "profile");

    public DataSource {
        ConfigException.require(kind != null && KINDS.contains(kind), "kind", "must be one of " + KINDS, kind);
        ConfigException.require(file != null && !file.isBlank(), "file", "must name a CSV file", file);
        ConfigException.require(!"layers".equals(kind) || (model != null && tp != null), "model",
                "and tp must be given for a layers table", model);
        ConfigException.require(!"splitwise".equals(kind) || hardware != null, "hardware",
                "must name the Splitwise hardware (e.g. h100-80gb) of a splitwise table", hardware);
        ConfigException.require(engineOf == null || "splitwise".equals(kind) || "profile".equals(kind), "engine_of",
                "applies to whole requests or iterations (splitwise, profile), not to kernel tables", engineOf);
    }

    /** A source measured with the serving engine of the GPU it fits or judges. */
    public DataSource(String kind, String file, String model, Integer tp, String hardware) {
        this(kind, file, model, tp, hardware, null);
    }

    /** What the rows of this source are: e.g. {@code Llama-3.1-8B/tp1/layers.csv} or {@code Llama-2-70B/a100-80gb/tp4}. */
    public String label() {
        return switch (kind) {
            case "splitwise" -> (model == null ? "all models" : model) + "/" + hardware + (tp == null ? "" : "/tp" + tp);
            case "profile" -> Path.of(file).getFileName().toString();
            default -> Path.of(file).getNameCount() >= 3
                    ? Path.of(file).subpath(Path.of(file).getNameCount() - 3, Path.of(file).getNameCount()).toString()
                    : file;
        };
    }

    /**
     * The measured rows of this source; {@code dropped} receives a description of every row left out, with why. With
     * {@link #engineOf}, every row is predicted with that GPU's serving engine and its table says so.
     */
    public List<MeasuredRow> rows(Catalog catalog, List<String> dropped) {
        List<MeasuredRow> rows = read(catalog, dropped);
        if (engineOf == null) {
            return rows;
        }
        GpuCalibration engine = catalog.gpu(engineOf).calibration();
        String suffix = " (engine of " + catalog.gpu(engineOf).name() + ")";
        return rows.stream().map(r -> new MeasuredRow(r.table() + suffix, r.phase(), r.shape(), r.setup().withEngine(engine),
                r.measuredSeconds(), r.prediction())).toList();
    }

    private List<MeasuredRow> read(Catalog catalog, List<String> dropped) {
        try (Reader reader = open()) {
            return switch (kind) {
                case "layers" -> KernelTables.layers(label(), reader, catalog.model(model), tp);
                case "attention" -> KernelTables.attention(label(), reader, this::attentionShape);
                case "profile" -> profileRows(catalog, reader);
                default -> {
                    SplitwiseTable.Result result = SplitwiseTable.read(reader, hardware, catalog,
                            (m, t) -> (model == null || model.equalsIgnoreCase(m)) && (tp == null || tp == t));
                    result.dropped().forEach(d -> dropped.add(file + " " + d));
                    yield result.rows();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rows of a step-time profile: each measured prefill or decode iteration against the stage time of a replica
     * of its model at its TP degree, with the all-reduces of the default topology. Every row is of one GPU: the profile's
     * {@code gpu} column must name {@code hardware} when given.
     */
    private List<MeasuredRow> profileRows(Catalog catalog, Reader reader) throws IOException {
        List<MeasuredRow> rows = new java.util.ArrayList<>();
        for (StepTimeProfile profile : StepTimeProfileCsv.read(reader, file)) {
            if (hardware != null && !hardware.equalsIgnoreCase(profile.gpu())) {
                continue;
            }
            ReplicaSetupKey setup = new ReplicaSetupKey(catalog.model(profile.model()), profile.tp(), true);
            for (StepTimeProfile.Point point : profile.points()) {
                rows.add(new MeasuredRow(profile.label(), point.isPrefill() ? "prefill iteration" : "decode iteration",
                        point.isPrefill() ? "prompt " + point.prefillTokens() + ", cached " + point.contextTokens()
                                : "batch " + point.decodeBatch() + ", kv " + point.contextTokens() + " each",
                        setup, point.timeMs() * 1e-3, m -> m.stageSeconds(point.shape())));
            }
        }
        return rows;
    }

    private Reader open() throws IOException {
        Path path = Path.of(file);
        if (Files.exists(path)) {
            return Files.newBufferedReader(path, StandardCharsets.UTF_8);
        }
        InputStream in = DataSource.class.getClassLoader().getResourceAsStream(BUNDLED + file);
        if (in == null) {
            throw new ConfigException("file " + file + " does not exist (neither a path nor bundled calibration data)");
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    /** An attention-only model of the table's shape: hidden size, query heads and KV heads (other fields unused). */
    private ModelSpec attentionShape(int hidden, int heads, int kvHeads) {
        ObjectNode node = ConfigMapper.json().createObjectNode();
        node.put("name", String.format(Locale.ROOT, "attention h%d/%d/%d", hidden, heads, kvHeads))
                .put("layers", 1).put("hidden", hidden).put("heads", heads).put("kv_heads", kvHeads)
                .put("ffn_hidden", 1).put("vocab", 1).put("max_context_tokens", 1 << 20).put("bytes_per_param", 2)
                .put("gated_mlp", true);
        return ConfigMapper.convert(node, ModelSpec.class, "attention table");
    }
}
