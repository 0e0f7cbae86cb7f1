package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servesim.core.cluster.Deployment;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.setup.DeploymentConfig;
import io.servesim.core.memory.MemoryFit;
import io.servesim.core.model.BatchShape;
import io.servesim.core.model.IterationWork;
import io.servesim.core.model.RooflineStepTimeModel;
import io.servesim.core.model.StepTimeBreakdown;
import io.servesim.core.model.StepTimeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code servesim steptime}: the predicted duration of one iteration of one batch on one replica, broken down by
 * the terms of the roofline model (see docs/model.md), per pipeline stage when pp &gt; 1. Nothing is simulated and
 * nothing is written.
 */
@Command(name = "steptime", mixinStandardHelpOptions = true,
        description = "Predict one iteration's duration for a batch, term by term (the roofline model of docs/model.md).")
public final class StepTimeCommand implements Callable<Integer> {
    private static final double MS = 1e3;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Catalog model, any case, e.g. Llama-2-7B (servesim catalog list).")
    String model;

    @Option(names = "--gpu", required = true, paramLabel = "NAME", description = "Catalog GPU, any case, e.g. H100-SXM.")
    String gpu;

    @Option(names = "--tp", paramLabel = "T", description = "Tensor-parallel degree (default 1).")
    int tp = 1;

    @Option(names = "--pp", paramLabel = "P", description = "Pipeline-parallel degree (default 1).")
    int pp = 1;

    @Option(names = "--ep", paramLabel = "E", description = "Expert-parallel degree for a mixture-of-experts model (default 1; divides --tp).")
    int ep = 1;

    @Option(names = "--prefill-tokens", paramLabel = "N", description = "Prompt tokens prefilled in this iteration.")
    int prefillTokens;

    @Option(names = "--context", paramLabel = "C", description = "Tokens already cached before the prefill chunk (default 0).")
    int contextTokens;

    @Option(names = "--decode-batch", paramLabel = "B", description = "Sequences decoding one token each.")
    int decodeBatch;

    @Option(names = "--kv-len", paramLabel = "L", description = "KV-cache length of each decoding sequence, tokens.")
    int kvLength;

    @Option(names = "--precision", paramLabel = "P", description = "Weights and KV cache: bf16 (default), fp16 or fp8.")
    String precision;

    @Option(names = "--catalog", paramLabel = "FILE", description = "Extra GPUs and models (JSON, same form as the bundled catalog).")
    String catalog;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        requireAtLeast("--tp", tp, 1);
        requireAtLeast("--pp", pp, 1);
        requireAtLeast("--ep", ep, 1);
        requireAtLeast("--prefill-tokens", prefillTokens, 0);
        requireAtLeast("--context", contextTokens, 0);
        requireAtLeast("--decode-batch", decodeBatch, 0);
        requireAtLeast("--kv-len", kvLength, 0);
        if (prefillTokens == 0 && decodeBatch == 0) {
            throw new UserInputException("the batch is empty: give --prefill-tokens N and/or --decode-batch B");
        }
        if (contextTokens > 0 && prefillTokens == 0) {
            throw new UserInputException("--context is the cache before a prefill chunk: give --prefill-tokens too");
        }
        if (kvLength > 0 && decodeBatch == 0) {
            throw new UserInputException("--kv-len is the context of each decoding sequence: give --decode-batch too");
        }
        DeploymentConfig config = new DeploymentConfig(model, gpu, tp, pp, 1, null, null, null, null, catalog, null, precision, null,
                ep, null, null, null, null);
        Deployment deployment = config.resolve(config.loadCatalog());
        MemoryFit fit = deployment.memoryFit();
        if (fit instanceof MemoryFit.DoesNotFit) {
            throw new UserInputException(fit.describe() + " (tp " + tp + ", pp " + pp + ")");
        }
        BatchShape batch = new BatchShape();
        if (prefillTokens > 0) {
            batch.addPrefillChunk(prefillTokens, contextTokens);
        }
        batch.setDecode(decodeBatch, (long) decodeBatch * kvLength);
        RooflineStepTimeModel stepTime = deployment.stepTimeModel(0);
        if (json) {
            printJson(stepTime, batch, fit);
        } else {
            printText(stepTime, batch, fit);
        }
        return 0;
    }

    private static void requireAtLeast(String flag, int value, int min) {
        if (value < min) {
            throw new UserInputException(flag + " must be >= " + min + ", got " + value);
        }
    }

    private void printText(RooflineStepTimeModel m, BatchShape batch, MemoryFit fit) {
        PrintWriter out = spec.commandLine().getOut();
        StepTimeBreakdown b = m.breakdown(batch);
        out.printf(Locale.ROOT, "%s on %s, tp %d, pp %d%s: prefill %,d tokens (context %,d), decode %,d sequences × %,d tokens%n",
                model, gpu, tp, pp, ep > 1 ? ", ep " + ep : "", prefillTokens, contextTokens, decodeBatch, kvLength);
        out.println("  memory    " + fit.describe());
        out.printf(Locale.ROOT, "  step      %.3f ms (GEMMs %s-bound, %s)%s%n", b.totalSeconds() * MS,
                b.computeBound() ? "compute" : "memory", b.cudaGraph() ? "CUDA graph" : "eager",
                pp > 1 ? ", the slowest stage" : "");
        term(out, "GEMMs (with LM head)", b.gemmSeconds());
        term(out, "attention", b.attentionSeconds());
        term(out, "element-wise", b.elementwiseSeconds());
        term(out, ep > 1 ? "communication (TP, EP)" : "communication (TP)", b.communicationSeconds());
        term(out, "host overhead", b.overheadSeconds());
        out.println("            step = layers · (GEMMs + attention + element-wise + communication) + LM head + host overhead");
        if (pp > 1) {
            for (int s = 0; s < pp; s++) {
                out.printf(Locale.ROOT, "  stage %-3d %.3f ms (communication %.3f ms)%n", s, m.stageSeconds(batch, s) * MS,
                        m.communicationSeconds(batch, s) * MS);
            }
            out.printf(Locale.ROOT, "  transfer  %.3f ms between consecutive stages%n", m.stageTransferSeconds(batch) * MS);
            out.printf(Locale.ROOT, "  iteration %.3f ms through all stages with nothing else in flight%n",
                    m.iterationSeconds(batch) * MS);
        }
        IterationWork w = m.work();
        double seconds = m.iterationSeconds(batch);
        out.printf(Locale.ROOT, "  work      %.1f GFLOP, %.2f GB read from HBM over %s: MFU %.1f %%, MBU %.1f %%"
                        + " of the iteration%n", w.flops(batch) / 1e9, w.hbmBytes(batch) / 1e9,
                w.gpus() == 1 ? "1 GPU" : w.gpus() + " GPUs", 100 * w.mfu(w.flops(batch), seconds),
                100 * w.mbu(w.hbmBytes(batch), seconds));
    }

    private static void term(PrintWriter out, String name, double seconds) {
        out.printf(Locale.ROOT, "    %-24s %10.3f ms%n", name, seconds * MS);
    }

    private void printJson(RooflineStepTimeModel m, BatchShape batch, MemoryFit fit) {
        StepTimeBreakdown b = m.breakdown(batch);
        ObjectNode root = ConfigMapper.json().createObjectNode();
        root.put("model", model).put("gpu", gpu).put("tp", tp).put("pp", pp).put("ep", ep);
        root.putObject("batch").put("prefill_tokens", prefillTokens).put("context_tokens", contextTokens)
                .put("decode_batch", decodeBatch).put("kv_len", kvLength);
        MemoryFit.Fits fits = fit.orThrow();
        root.putObject("memory_gib_per_gpu").put("usable", fits.usableGiBPerGpu()).put("weights", fits.weightsGiBPerGpu())
                .put("activation_reserve", fits.activationReserveGiB()).put("kv_cache", fits.kvCacheGiBPerGpu())
                .put("kv_blocks", fits.blocks());
        root.put("step_ms", b.totalSeconds() * MS).put("compute_bound", b.computeBound())
                .put("cuda_graph", b.cudaGraph());
        root.putObject("terms_ms").put("gemm", b.gemmSeconds() * MS).put("attention", b.attentionSeconds() * MS)
                .put("elementwise", b.elementwiseSeconds() * MS).put("communication", b.communicationSeconds() * MS)
                .put("overhead", b.overheadSeconds() * MS);
        ArrayNode stages = root.putArray("stages");
        for (int s = 0; s < pp; s++) {
            stages.addObject().put("stage", s).put("ms", m.stageSeconds(batch, s) * MS)
                    .put("communication_ms", m.communicationSeconds(batch, s) * MS);
        }
        root.put("stage_transfer_ms", m.stageTransferSeconds(batch) * MS).put("iteration_ms", m.iterationSeconds(batch) * MS);
        IterationWork w = m.work();
        root.put("flops", w.flops(batch)).put("hbm_bytes", w.hbmBytes(batch))
                .put("mfu", w.mfu(w.flops(batch), m.iterationSeconds(batch)))
                .put("mbu", w.mbu(w.hbmBytes(batch), m.iterationSeconds(batch)));
        try {
            spec.commandLine().getOut().println(ConfigMapper.json().writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
