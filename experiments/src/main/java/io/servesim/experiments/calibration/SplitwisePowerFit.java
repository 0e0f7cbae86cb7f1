package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuPower;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.IterationWork;
import io.servesim.core.model.RooflineStepTimeModel;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The utilisation power model (catalog `power` blocks: `mfu_weight`, `mbu_weight`) fitted to Splitwise's power measurements
 * ({@code perf_model.csv}: the 260 A100-80GB rows with power, average and peak power of whole requests as fractions
 * of TDP), with a fit/report split fixed before any fit was run ({@code docs/calibration.md}, "GPU power"):
 * <ul>
 *   <li>fitted: Llama-2-70B at TP 2 and TP 8; reported (held out): Llama-2-70B at TP 4 and BLOOM-176B at TP 8;</li>
 *   <li>dropped: rows whose average power is below {@value #IMPLAUSIBLE_AVERAGE} of TDP — the 15 Llama-2-70B rows of
 *       8,192-token prompts report 0.17–0.18 while every other row of the same model and TP, which decode the same 128
 *       tokens, reports 0.39–0.79, and the peak of those rows is at TDP: a failed measurement.</li>
 * </ul>
 * Each row is replayed on the catalog's A100-80GB with ServeSim's step-time model as a request of Splitwise's
 * benchmark: one prefill iteration of B prompts of P tokens, then T − 1 decode iterations of B sequences attending to
 * P + 1 + j tokens each (j = 0 … T − 2). Each phase's MFU and MBU are its model FLOPs and HBM bytes over its
 * predicted time; the model's power over a phase is linear in them, so a phase's mean power is the power at its mean
 * utilisation, and a request's average power is the time-weighted mean of its phases'. The weights (a, b) of
 * P/TDP = i + (1 − i) · (a · MFU + b · MBU) are the least-squares fit of the fitted rows' average power (i = the
 * catalog's idle fraction, not fitted).
 */
public final class SplitwisePowerFit {
    /** Splitwise's hardware name of the rows with power. */
    public static final String HARDWARE = "a100-80gb";
    /** Average power (fraction of TDP) below which a row is a failed measurement. */
    public static final double IMPLAUSIBLE_AVERAGE = 0.3;
    /** The tables fitted on, and the tables only reported. */
    public static final Set<String> FIT = Set.of("Llama-2-70B/tp2", "Llama-2-70B/tp8");
    public static final Set<String> REPORT = Set.of("Llama-2-70B/tp4", "BLOOM-176B/tp8");
    private static final Map<String, String> MODELS = Map.of("llama2-70b", "Llama-2-70B", "bloom-176b", "BLOOM-176B");

    /**
     * One measured request and its replay.
     *
     * @param table           {@code <model>/tp<N>}
     * @param line            line of the CSV file
     * @param averageFraction measured average power over the request, fraction of TDP
     * @param peakFraction    measured peak power, fraction of TDP
     * @param measuredSeconds measured end-to-end time
     * @param measuredPromptSeconds measured prompt (prefill) time
     * @param prefill         the replayed prefill phase
     * @param decode          the replayed decode phase
     */
    public record Row(String table, long line, double averageFraction, double peakFraction, double measuredSeconds,
                      double measuredPromptSeconds, Phase prefill, Phase decode) {

        /**
         * The decode phase's measured power, fraction of TDP, derived from the request's average and the peak read as
         * the prefill's power: (average · e2e − peak · prompt) / (e2e − prompt).
         */
        public double measuredDecodeFraction() {
            return (averageFraction * measuredSeconds - peakFraction * measuredPromptSeconds)
                    / (measuredSeconds - measuredPromptSeconds);
        }
    }

    /**
     * A phase of a replayed request.
     *
     * @param seconds predicted time
     * @param mfu     model FLOPs / (GPUs · peak FLOP/s · seconds)
     * @param mbu     HBM bytes / (GPUs · HBM bandwidth · seconds)
     */
    public record Phase(double seconds, double mfu, double mbu) {
    }

    /** The fitted weights: P/TDP = i + (1 − i) · (a · MFU + b · MBU). */
    public record Weights(double mfuWeight, double mbuWeight) {
    }

    private SplitwisePowerFit() {
    }

    /** The A100-80GB rows with power, replayed; rows below {@link #IMPLAUSIBLE_AVERAGE} left out. */
    public static List<Row> read(Reader csv, Catalog catalog) throws IOException {
        GpuSpec gpu = catalog.gpu("A100-80GB");
        List<Row> rows = new ArrayList<>();
        for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(csv)) {
            double average = Double.parseDouble(r.get("average_power"));
            if (!r.get("hardware").equals(HARDWARE) || Double.parseDouble(r.get("peak_power")) <= 0
                    || average < IMPLAUSIBLE_AVERAGE) {
                continue;
            }
            String model = MODELS.get(r.get("model"));
            int tp = Integer.parseInt(r.get("tensor_parallel"));
            RooflineStepTimeModel m = new ReplicaSetupKey(catalog.model(model), tp, true).stepTimeModel(gpu);
            int prompt = Integer.parseInt(r.get("prompt_size"));
            int batch = Integer.parseInt(r.get("batch_size"));
            int tokens = Integer.parseInt(r.get("token_size"));
            BatchShape shape = new BatchShape();
            for (int i = 0; i < batch; i++) {
                shape.addPrefillChunk(prompt, 0);
            }
            Phase prefill = phase(m, shape, 0, 0, 0);
            double seconds = 0;
            double flops = 0;
            double bytes = 0;
            for (int j = 0; j < tokens - 1; j++) {
                shape.clear().setDecode(batch, (long) batch * (prompt + 1 + j));
                seconds += m.stageSeconds(shape);
                flops += m.work().flops(shape);
                bytes += m.work().hbmBytes(shape);
            }
            rows.add(new Row(model + "/tp" + tp, r.getRecordNumber() + 1, average,
                    Double.parseDouble(r.get("peak_power")), Double.parseDouble(r.get("e2e_time")) * 1e-3,
                    Double.parseDouble(r.get("prompt_time")) * 1e-3, prefill, phase(m, null, seconds, flops, bytes)));
        }
        return rows;
    }

    private static Phase phase(RooflineStepTimeModel m, BatchShape prefill, double seconds, double flops, double bytes) {
        IterationWork w = m.work();
        if (prefill != null) {
            seconds = m.stageSeconds(prefill);
            flops = w.flops(prefill);
            bytes = w.hbmBytes(prefill);
        }
        return new Phase(seconds, w.mfu(flops, seconds), w.mbu(bytes, seconds));
    }

    /**
     * Least squares over {@code rows} of (average − i) / (1 − i) = a · MFU + b · MBU, MFU and MBU the request's
     * time-weighted means (no intercept: at zero utilisation a busy GPU draws idle power).
     */
    public static Weights fit(List<Row> rows, double idleFraction) {
        double[] y = new double[rows.size()];
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            y[i] = (r.averageFraction() - idleFraction) / (1 - idleFraction);
            double total = r.prefill().seconds() + r.decode().seconds();
            x[i] = new double[] {(r.prefill().mfu() * r.prefill().seconds() + r.decode().mfu() * r.decode().seconds()) / total,
                    (r.prefill().mbu() * r.prefill().seconds() + r.decode().mbu() * r.decode().seconds()) / total};
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.setNoIntercept(true);
        ols.newSampleData(y, x);
        double[] beta = ols.estimateRegressionParameters();
        return new Weights(beta[0], beta[1]);
    }

    /**
     * Median relative errors of a power model over some rows.
     *
     * @param averagePower the request's average power against the measured average
     * @param prefillPower the prefill phase's power against the measured peak (the prefill draws the most)
     * @param decodePower  the decode phase's power against {@link Row#measuredDecodeFraction()}
     * @param energy       the request's energy (average power · predicted time) against average · measured time
     */
    public record Errors(double averagePower, double prefillPower, double decodePower, double energy) {
    }

    /** The median |relative error| of each quantity over {@code rows}, phase powers as fractions of TDP. */
    public static Errors errors(List<Row> rows, ToDoubleFunction<Row> prefillPower, ToDoubleFunction<Row> decodePower) {
        List<Double> average = new ArrayList<>();
        List<Double> prefill = new ArrayList<>();
        List<Double> decode = new ArrayList<>();
        List<Double> energy = new ArrayList<>();
        for (Row r : rows) {
            double pre = prefillPower.applyAsDouble(r);
            double dec = decodePower.applyAsDouble(r);
            double seconds = r.prefill().seconds() + r.decode().seconds();
            double predicted = (pre * r.prefill().seconds() + dec * r.decode().seconds()) / seconds;
            average.add(Math.abs(predicted / r.averageFraction() - 1));
            prefill.add(Math.abs(pre / r.peakFraction() - 1));
            decode.add(Math.abs(dec / r.measuredDecodeFraction() - 1));
            energy.add(Math.abs(predicted * seconds / (r.averageFraction() * r.measuredSeconds()) - 1));
        }
        return new Errors(SplitwiseTable.median(average), SplitwiseTable.median(prefill), SplitwiseTable.median(decode),
                SplitwiseTable.median(energy));
    }

    /** The rows of {@code tables}. */
    public static List<Row> of(List<Row> rows, Set<String> tables) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (tables.contains(r.table())) {
                out.add(r);
            }
        }
        return out;
    }
}
