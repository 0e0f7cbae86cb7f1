package io.servesim.experiments.calibration;

import io.servesim.core.catalog.Catalog;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.ModelSpec;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader for Splitwise's {@code perf_model.csv}: whole-request prompt (prefill) time and mean per-token decode time of
 * {@code batch_size} requests of {@code prompt_size} tokens generating {@code token_size} tokens, per model, GPU and TP.
 *
 * <p>The prompt time is predicted as one eager iteration prefilling the batch's B prompts together; the token time as
 * the decode iteration of B sequences at their mean context P + T/2, which is exact for the mean of iterations whose
 * time is affine in the context. Rows are selected by Splitwise hardware name; model names map to the catalog.
 * Failed runs — a token time more than 3× the median of its (model, hardware, TP, batch) group — are dropped and
 * counted in {@link Result#dropped()}.
 */
public final class SplitwiseTable {
    private static final Map<String, String> MODELS = Map.of("llama2-70b", "Llama-2-70B", "bloom-176b", "BLOOM-176B");
    private static final double FAILED_RUN_FACTOR = 3;

    /** The rows read and the descriptions of those dropped. */
    public record Result(List<MeasuredRow> rows, List<String> dropped) {
    }

    private SplitwiseTable() {
    }

    /**
     * The rows of {@code hardware} (Splitwise's name, e.g. {@code h100-80gb}) whose (model, TP) satisfies
     * {@code include}; the table name of a row is {@code <model>/<hardware>/tp<N>}.
     */
    public static Result read(Reader csv, String hardware, Catalog catalog, TableFilter include) throws IOException {
        List<CSVRecord> records = new ArrayList<>();
        for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(csv)) {
            if (r.get("hardware").equals(hardware)) {
                records.add(r);
            }
        }
        Map<String, List<Double>> tokenTimes = new HashMap<>();
        for (CSVRecord r : records) {
            tokenTimes.computeIfAbsent(group(r), g -> new ArrayList<>()).add(Double.parseDouble(r.get("token_time")));
        }
        List<MeasuredRow> rows = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (CSVRecord r : records) {
            String modelName = MODELS.get(r.get("model"));
            int tp = Integer.parseInt(r.get("tensor_parallel"));
            if (modelName == null || !include.test(modelName, tp)) {
                continue;
            }
            double tokenMs = Double.parseDouble(r.get("token_time"));
            if (tokenMs > FAILED_RUN_FACTOR * median(tokenTimes.get(group(r)))) {
                dropped.add("line " + r.getRecordNumber() + " (" + group(r) + ", token time " + tokenMs + " ms)");
                continue;
            }
            ModelSpec model = catalog.model(modelName);
            ReplicaSetupKey setup = new ReplicaSetupKey(model, tp, true);
            String table = modelName + "/" + hardware + "/tp" + tp;
            int prompt = Integer.parseInt(r.get("prompt_size"));
            int batch = Integer.parseInt(r.get("batch_size"));
            int tokens = Integer.parseInt(r.get("token_size"));
            String described = "batch " + batch + ", prompt " + prompt + ", output " + tokens;
            rows.add(new MeasuredRow(table, "prompt", described, setup, Double.parseDouble(r.get("prompt_time")) * 1e-3, m -> {
                BatchShape shape = new BatchShape();
                for (int i = 0; i < batch; i++) {
                    shape.addPrefillChunk(prompt, 0);
                }
                return m.stageSeconds(shape);
            }));
            long contextSum = (long) batch * prompt + (long) batch * tokens / 2;
            rows.add(new MeasuredRow(table, "token", described, setup, tokenMs * 1e-3,
                    m -> m.stageSeconds(new BatchShape().setDecode(batch, contextSum))));
        }
        return new Result(rows, dropped);
    }

    private static String group(CSVRecord r) {
        return r.get("model") + "/" + r.get("hardware") + "/tp" + r.get("tensor_parallel") + "/batch" + r.get("batch_size");
    }

    /** The median of {@code values}, the mean of the middle two for an even count. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Which (catalog model, TP) groups to read. */
    @FunctionalInterface
    public interface TableFilter {
        boolean test(String model, int tp);
    }
}
