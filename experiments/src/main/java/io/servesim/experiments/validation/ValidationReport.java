package io.servesim.experiments.validation;

import io.servesim.analysis.output.AtomicFiles;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The suite's results as a console table and as {@code validation.csv}. */
public final class ValidationReport {
    public static final String FILE_NAME = "validation.csv";
    public static final String[] HEADER = {"check", "predicted", "simulated", "unit", "relative_error", "tolerance", "pass"};

    private ValidationReport() {
    }

    /** Writes {@code validation.csv} atomically: a reader never sees half of it. */
    public static void writeCsv(Path file, List<ValidationCheck> checks) {
        AtomicFiles.write(file, out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(HEADER)
                    .setRecordSeparator("\n").get())) {
                for (ValidationCheck c : checks) {
                    csv.printRecord(c.check(), c.predicted(), c.simulated(), c.unit(), c.relativeError(), c.tolerance(),
                            c.pass());
                }
            }
        });
    }

    /** One line per check: predicted, simulated, relative error against tolerance, PASS or FAIL. */
    public static void print(PrintWriter out, List<ValidationCheck> checks) {
        int width = checks.stream().mapToInt(c -> c.check().length()).max().orElse(5);
        out.printf(Locale.ROOT, "%-" + width + "s %14s %14s %-8s %9s %9s  %s%n", "check", "predicted", "simulated", "unit",
                "error", "tolerance", "result");
        for (ValidationCheck c : checks) {
            out.printf(Locale.ROOT, "%-" + width + "s %14.6g %14.6g %-8s %8.3f%% %8.1f%%  %s%n", c.check(), c.predicted(),
                    c.simulated(), c.unit(), 100 * c.relativeError(), 100 * c.tolerance(), c.pass() ? "PASS" : "FAIL");
        }
        long failed = checks.stream().filter(c -> !c.pass()).count();
        out.println(failed == 0 ? "All " + checks.size() + " checks pass."
                : failed + " of " + checks.size() + " checks fail.");
    }
}
