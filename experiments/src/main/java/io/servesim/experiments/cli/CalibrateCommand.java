package io.servesim.experiments.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.catalog.CatalogFile;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.experiments.calibration.CalibrationErrors;
import io.servesim.experiments.calibration.CalibrationFit;
import io.servesim.experiments.calibration.CalibrationParameter;
import io.servesim.experiments.calibration.CalibrationRows;
import io.servesim.experiments.calibration.CalibrationSplit;
import io.servesim.experiments.calibration.DataSource;
import io.servesim.experiments.calibration.EngineFit;
import io.servesim.experiments.validation.replay.BenchmarkFile;
import io.servesim.experiments.validation.replay.BenchmarkRow;
import io.servesim.experiments.calibration.MeasuredRow;
import io.servesim.analysis.output.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code servesim calibrate}: fits a GPU's step-time coefficients to measured tables by least squares on relative
 * error, prints the error per table and phase (fitted and held-out rows apart) and writes a catalog overlay with the
 * fitted GPU, which a scenario uses through {@code deployment.catalog}.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Fit a GPU's step-time coefficients to measured kernel or iteration tables.")
public final class CalibrateCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--gpu", required = true, paramLabel = "NAME", description = "Catalog GPU to fit (its coefficients are the start).")
    String gpu;

    @Option(names = "--layers", paramLabel = "MODEL:TP:FILE",
            description = "A per-operator layer table (LLMServingSim format) of a catalog model at a TP degree; repeatable.")
    List<String> layers = new ArrayList<>();

    @Option(names = "--attention", paramLabel = "FILE",
            description = "An attention kernel table (LLMServingSim format); repeatable.")
    List<String> attention = new ArrayList<>();

    @Option(names = "--splitwise", paramLabel = "HARDWARE:FILE",
            description = "Prompt and token times (Splitwise perf_model.csv format) of one hardware name; repeatable.")
    List<String> splitwise = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Measured whole iterations in ServeSim's step-time profile format (docs/validation.md); "
                    + "the rows of the fitted GPU are used; repeatable.")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--against", paramLabel = "FILE",
            description = "End-to-end benchmark rows (validate --against formats) to fit the serving engine's "
                    + "coefficients on, after the kernels (host overheads, CUDA-graph floors, grouped-query "
                    + "packing; the element-wise fusion stays as the catalog measured it); with --against-backend, "
                    + "--against-model and --against-tp.")
    Path against;

    @Option(names = "--against-backend", paramLabel = "NAME", description = "Only end-to-end rows of this backend.")
    String againstBackend;

    @Option(names = "--against-model", paramLabel = "NAME", description = "Only end-to-end rows of this model (the file's name).")
    String againstModel;

    @Option(names = "--against-tp", paramLabel = "N", description = "Only end-to-end rows at this TP degree.")
    Integer againstTp;

    @Option(names = "--evaluations", paramLabel = "N",
            description = "Most replays of the end-to-end rows the engine fit may run (default 200).")
    int evaluations = 200;

    @Option(names = "--fit", paramLabel = "P,P…", split = ",",
            description = "Parameters to fit (default: kernel coefficients for kernel tables, GEMM and bandwidth "
                    + "efficiency and host overheads for whole-iteration tables: Splitwise and profiles).")
    List<String> fitParameters;

    @Option(names = "--catalog", paramLabel = "FILE", description = "A catalog file with more GPUs and models.")
    Path catalogFile;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Catalog overlay to write (default: results/calibrate-<timestamp>/catalog.json).")
    Path out;

    @Override
    public Integer call() {
        Catalog catalog = Catalog.load(Optional.ofNullable(catalogFile));
        GpuSpec start = catalog.gpu(gpu);
        List<DataSource> fitSources = new ArrayList<>();
        layers.forEach(spec -> fitSources.add(layersSource(spec)));
        attention.forEach(file -> fitSources.add(new DataSource("attention", file, null, null, null)));
        splitwise.forEach(spec -> fitSources.add(splitwiseSource(spec)));
        profiles.forEach(file -> fitSources.add(new DataSource("profile", file, null, null, start.name())));
        List<DataSource> reportSources = List.of();
        CalibrationSplit.EngineRows bundledEngine = null;
        List<CalibrationParameter> parameters;
        String source;
        if (fitSources.isEmpty() && against == null) {
            CalibrationSplit split = CalibrationSplit.bundled().get(start.name());
            if (split == null) {
                throw new UserInputException("no bundled measurements for " + start.name() + "; give tables with "
                        + "--layers, --attention or --splitwise (bundled: " + CalibrationSplit.bundled().keySet() + ")");
            }
            fitSources.addAll(split.fit());
            reportSources = split.report();
            parameters = split.parameters();
            bundledEngine = split.engine();
            source = "fitted by servesim calibrate --gpu " + start.name() + " on the bundled split (docs/calibration.md)";
        } else {
            parameters = fitSources.stream().allMatch(s -> s.kind().equals("splitwise") || s.kind().equals("profile"))
                    ? CalibrationParameter.ITERATION : CalibrationParameter.KERNEL;
            source = "fitted by servesim calibrate --gpu " + start.name() + " on "
                    + String.join(", ", fitSources.stream().map(DataSource::file).toList());
        }
        if (fitParameters != null) {
            parameters = parse(fitParameters);
        }
        List<String> dropped = new ArrayList<>();
        List<MeasuredRow> fitRows = rows(fitSources, catalog, dropped);
        List<MeasuredRow> reportRows = rows(reportSources, catalog, dropped);
        Path target = out != null ? out : ResultFolders.timestamped("calibrate").resolve("catalog.json");

        EngineRows engine = engineRows(start, bundledEngine);
        GpuSpec fit = fitRows.isEmpty() ? start : CalibrationFit.fit(start, fitRows, parameters, source);
        if (!engine.rows().isEmpty()) {
            fit = EngineFit.fit(catalog, fit, engine.rows(), CalibrationParameter.ENGINE, source + "; " + engine.source(),
                    Math.max(1, Runtime.getRuntime().availableProcessors()), evaluations);
        }
        GpuSpec fitted = fit.withCalibration(fit.calibration().withValidatedError(
                CalibrationErrors.summary(fit, reportRows)));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s: %d rows fitted (%s), %d held out%n", start.name(), fitRows.size(),
                String.join(", ", parameters.stream().map(CalibrationParameter::key).toList()), reportRows.size());
        List<CalibrationErrors> errors = new ArrayList<>(CalibrationErrors.of("fit", fitted, fitRows));
        errors.addAll(CalibrationErrors.of("held-out", fitted, reportRows));
        print(w, errors);
        if (!engine.rows().isEmpty()) {
            printEngine(w, catalog, fitted, engine);
        }
        dropped.forEach(d -> w.println("  dropped " + d));
        w.println("  " + fitted.calibration().validatedError());
        Path rowsFile = target.resolveSibling(target.getFileName().toString().replaceFirst("\\.json$", "")
                + "_rows.csv");
        try (AtomicFiles.Batch files = AtomicFiles.batch()) {
            files.writeString(target, ConfigMapper.json().writeValueAsString(
                    new CatalogFile(List.of(fitted), List.of())) + "\n");
            files.write(rowsFile, o -> CalibrationRows.write(o, fitted, fitRows, reportRows));
            files.commit();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        w.println("  wrote " + target + " (use it with deployment.catalog) and " + rowsFile + " (every row's error)");
        return 0;
    }

    static void print(PrintWriter w, List<CalibrationErrors> errors) {
        int width = errors.stream().mapToInt(e -> e.table().length()).max().orElse(0);
        String table = "%-" + Math.max(36, width) + "s";
        w.printf(Locale.ROOT, "  %-9s " + table + " %-18s %6s %9s %9s %9s%n", "rows", "table", "phase", "n", "median",
                "p90", "bias");
        for (CalibrationErrors e : errors) {
            w.printf(Locale.ROOT, "  %-9s " + table + " %-18s %6d %8.1f%% %8.1f%% %+8.1f%%%n", e.role(), e.table(),
                    e.phase(), e.rows(), 100 * e.median(), 100 * e.p90(), 100 * e.bias());
        }
    }

    /** The end-to-end rows the engine fit uses, and how they were chosen. */
    private record EngineRows(List<BenchmarkRow> rows, String source) {
    }

    private EngineRows engineRows(GpuSpec gpu, CalibrationSplit.EngineRows bundled) {
        if (against == null && bundled == null) {
            return new EngineRows(List.of(), "");
        }
        CalibrationSplit.EngineRows selection = against != null
                ? new CalibrationSplit.EngineRows(against.toString(), againstBackend, againstModel, againstTp) : bundled;
        List<BenchmarkRow> rows;
        Path file;
        try {
            BenchmarkFile source = against != null ? BenchmarkFile.read(against) : bundled.read();
            file = source.path();
            rows = source.rows().stream().filter(r -> selection.selects(r, gpu.name())).toList();
        } catch (ConfigException e) {
            throw new UserInputException("--against: " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new UserInputException("--against: no rows of " + gpu.name() + " match the filters in " + file);
        }
        return new EngineRows(rows, String.format(Locale.ROOT, "engine fitted on %d end-to-end rows (%s%s%s)",
                rows.size(), selection.backend() == null ? "all backends" : selection.backend(),
                selection.model() == null ? "" : ", " + selection.model(),
                selection.tp() == null ? "" : ", TP " + selection.tp()));
    }

    private static void printEngine(PrintWriter w, Catalog catalog, GpuSpec fitted, EngineRows engine) {
        double[] r = EngineFit.residuals(catalog, fitted, engine.rows(), Math.max(1,
                Runtime.getRuntime().availableProcessors()));
        List<Double> ttft = new ArrayList<>();
        List<Double> tpot = new ArrayList<>();
        for (int i = 0; i < r.length; i += 2) {
            ttft.add(Math.abs(r[i]));
            tpot.add(Math.abs(r[i + 1]));
        }
        ttft.sort(null);
        tpot.sort(null);
        w.printf(Locale.ROOT, "  %s: fit rows' median |error| TTFT %.1f %%, TPOT %.1f %%%n", engine.source(),
                100 * ttft.get(ttft.size() / 2), 100 * tpot.get(tpot.size() / 2));
    }

    private static List<MeasuredRow> rows(List<DataSource> sources, Catalog catalog, List<String> dropped) {
        List<MeasuredRow> rows = new ArrayList<>();
        for (DataSource s : sources) {
            try {
                rows.addAll(s.rows(catalog, dropped));
            } catch (ConfigException | IllegalArgumentException | UncheckedIOException e) {
                throw new UserInputException(s.file() + ": " + e.getMessage());
            }
        }
        return rows;
    }

    private static DataSource layersSource(String spec) {
        String[] parts = spec.split(":", 3);
        if (parts.length != 3) {
            throw new UserInputException("--layers must be MODEL:TP:FILE, got '" + spec + "'");
        }
        try {
            return new DataSource("layers", parts[2], parts[0], Integer.parseInt(parts[1]), null);
        } catch (NumberFormatException e) {
            throw new UserInputException("--layers: TP must be an integer, got '" + parts[1] + "'");
        }
    }

    private static DataSource splitwiseSource(String spec) {
        String[] parts = spec.split(":", 2);
        if (parts.length != 2) {
            throw new UserInputException("--splitwise must be HARDWARE:FILE (e.g. h100-80gb:perf_model.csv), got '" + spec + "'");
        }
        return new DataSource("splitwise", parts[1], null, null, parts[0]);
    }

    private static List<CalibrationParameter> parse(List<String> keys) {
        try {
            return keys.stream().map(CalibrationParameter::ofKey).toList();
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--fit: " + e.getMessage());
        }
    }
}
