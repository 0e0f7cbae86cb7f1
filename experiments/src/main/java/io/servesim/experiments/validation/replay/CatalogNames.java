package io.servesim.experiments.validation.replay;

import java.util.Locale;
import java.util.Map;

/**
 * How benchmark files name models and GPUs, mapped to catalog names. The replay looks the mapped name up in the
 * catalog; a name the table does not hold is looked up as it is (so a file may use catalog names directly, as the
 * open-loop format does), and a name the catalog does not know makes the row a skipped one ("unknown model").
 * Keys match ignoring case; so does the catalog.
 *
 * <table>
 *   <caption>the table</caption>
 *   <tr><th>file name</th><th>catalog name</th><th>note</th></tr>
 *   <tr><td>meta-llama/Llama-3.1-8B, meta-llama/Llama-3.1-8B-Instruct</td><td>Llama-3.1-8B</td><td></td></tr>
 *   <tr><td>nvidia/Llama-3.1-8B-Instruct-FP8</td><td>Llama-3.1-8B</td><td>the same architecture; the row's
 *       precision says fp8</td></tr>
 *   <tr><td>meta-llama/Llama-3.1-70B, meta-llama/Llama-3.1-70B-Instruct</td><td>Llama-3.1-70B</td><td></td></tr>
 *   <tr><td>Qwen/Qwen3-32B</td><td>Qwen3-32B</td><td></td></tr>
 *   <tr><td>nvidia/Qwen3-32B-NVFP4</td><td>Qwen3-32B</td><td>its precision (fp4) is what skips it</td></tr>
 *   <tr><td>Qwen/Qwen3-30B-A3B</td><td>Qwen3-30B-A3B</td><td></td></tr>
 *   <tr><td>Qwen/Qwen3-235B-A22B, Qwen/Qwen3-235B-A22B-FP8</td><td>Qwen3-235B-A22B</td><td>the row's precision says
 *       fp8</td></tr>
 *   <tr><td>deepseek-ai/DeepSeek-V3, deepseek-ai/DeepSeek-R1</td><td>DeepSeek-V3</td><td>R1 has V3's
 *       architecture</td></tr>
 *   <tr><td>h100_sxm</td><td>H100-SXM</td><td></td></tr>
 *   <tr><td>h200_sxm</td><td>H200</td><td></td></tr>
 *   <tr><td>b200_sxm</td><td>B200</td><td></td></tr>
 * </table>
 */
public final class CatalogNames {
    private static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("meta-llama/llama-3.1-8b", "Llama-3.1-8B"),
            Map.entry("meta-llama/llama-3.1-8b-instruct", "Llama-3.1-8B"),
            Map.entry("nvidia/llama-3.1-8b-instruct-fp8", "Llama-3.1-8B"),
            Map.entry("meta-llama/llama-3.1-70b", "Llama-3.1-70B"),
            Map.entry("meta-llama/llama-3.1-70b-instruct", "Llama-3.1-70B"),
            Map.entry("qwen/qwen3-32b", "Qwen3-32B"),
            Map.entry("nvidia/qwen3-32b-nvfp4", "Qwen3-32B"),
            Map.entry("qwen/qwen3-30b-a3b", "Qwen3-30B-A3B"),
            Map.entry("qwen/qwen3-235b-a22b", "Qwen3-235B-A22B"),
            Map.entry("qwen/qwen3-235b-a22b-fp8", "Qwen3-235B-A22B"),
            Map.entry("deepseek-ai/deepseek-v3", "DeepSeek-V3"),
            Map.entry("deepseek-ai/deepseek-r1", "DeepSeek-V3"));
    private static final Map<String, String> GPUS = Map.of(
            "h100_sxm", "H100-SXM",
            "h200_sxm", "H200",
            "b200_sxm", "B200");

    private CatalogNames() {
    }

    /** The catalog name to look {@code fileModel} up by. */
    public static String model(String fileModel) {
        return MODELS.getOrDefault(fileModel.toLowerCase(Locale.ROOT), fileModel);
    }

    /** The catalog name to look {@code fileSystem} up by. */
    public static String gpu(String fileSystem) {
        return GPUS.getOrDefault(fileSystem.toLowerCase(Locale.ROOT), fileSystem);
    }
}
