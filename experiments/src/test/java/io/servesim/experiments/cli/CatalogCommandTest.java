package io.servesim.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.servesim.core.config.ConfigMapper;
import io.servesim.core.catalog.Catalog;
import io.servesim.core.hardware.GpuSpec;
import io.servesim.core.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogCommandTest {

    private static final String TINY_MODELS = """
            {"models": [
              {"name": "%s", "layers": 2, "hidden": 64, "heads": 4, "kv_heads": 2, "ffn_hidden": 256,
               "vocab": 1000, "max_context_tokens": 512, "bytes_per_param": 2, "gated_mlp": true}]}
            """;

    /** The lines of the block that starts with the line starting with {@code title}, up to the next blank line. */
    private static List<String> block(String out, String title) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : out.split("\n", -1)) {
            if (line.startsWith(title)) {
                in = true;
            } else if (in && line.isBlank()) {
                break;
            }
            if (in) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void listShowsEveryModelAndGpuWithItsKeyNumbers() {
        CliTestSupport.Result result = CliTestSupport.run("catalog", "list");
        assertThat(result.exitCode()).as(result.err()).isZero();
        Catalog catalog = Catalog.load();
        List<String> models = block(result.out(), "Models (");
        List<String> gpus = block(result.out(), "GPUs (");
        assertThat(models).hasSize(2 + catalog.modelNames().size());
        assertThat(gpus).hasSize(2 + catalog.gpuNames().size());
        assertThat(models.get(1)).startsWith("name").contains("params (B)", "layers", "hidden", "heads/KV", "context",
                "weights (GiB)");
        assertThat(gpus.get(1)).startsWith("name").contains("peak TFLOPS", "HBM (GiB)", "HBM (GB/s)");
        // Qwen3-32B: 32,761,446,400 params, 64 layers, 5120 wide, 64/8 heads of 128, 40960 tokens, 61.02 GiB, 256 KiB
        assertThat(models).anySatisfy(line -> assertThat(line.split(" +"))
                .containsExactly("Qwen3-32B", "32.76", "32.76", "-", "64", "5120", "64/8", "128", "40960", "61.02", "256"));
        // Mixtral-8x7B: 46.70 B held, 12.88 B active, 8 experts of which 2 per token, 86.99 GiB of weights
        assertThat(models).anySatisfy(line -> assertThat(line.split(" +"))
                .containsExactly("Mixtral-8x7B", "46.70", "12.88", "8/k2", "32", "4096", "32/8", "128", "32768", "86.99",
                        "128"));
        // H100-SXM: 989 BF16 and 1979 FP8 TFLOPS, 79.6 GiB, 3350 GB/s of HBM, 900 GB/s NVLink
        assertThat(gpus).anySatisfy(line -> assertThat(line.split(" +"))
                .containsExactly("H100-SXM", "989", "1979", "79.6", "3350", "900"));
    }

    @Test
    void listAlignsEachTableSoEveryRowEndsInTheSameColumn() {
        String out = CliTestSupport.run("catalog", "list").out();
        for (String title : List.of("Models (", "GPUs (")) {
            List<String> table = block(out, title).subList(1, block(out, title).size());
            assertThat(table).extracting(String::length).containsOnly(table.get(0).length());
        }
    }

    @Test
    void listMarksTheEntriesOfAUserFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, TINY_MODELS.formatted("Tiny"));
        CliTestSupport.Result result = CliTestSupport.run("catalog", "list", "--catalog", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("\nTiny *  ").contains("\n* from " + file + "\n").contains("\nQwen3-32B  ");
    }

    @Test
    void showFindsAModelInAnyCaseAndPrintsItsFieldsAndDerivedQuantities() {
        CliTestSupport.Result result = CliTestSupport.run("catalog", "show", "llama-3.1-8b");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("model Llama-3.1-8B (bundled catalog)\nfields\n");
        // 32 · 218,103,808 + 2 · 128256 · 4096; 2 · 32 · 1024 · 2 bytes
        assertThat(result.out()).containsPattern("  total_params +8,029,995,008 +8\\.030 B")
                .containsPattern("  kv_bytes_per_token +131,072 +128 KiB")
                .containsPattern("  max_context_tokens +131072\n")
                .containsPattern("  tied_embeddings +false\n");
    }

    @Test
    void showPrintsEveryFieldOfTheRecordUnderItsCatalogKey() {
        Catalog catalog = Catalog.load();
        for (Record spec : List.<Record>of(catalog.gpu("H100-SXM"), catalog.model("Mistral-7B"))) {
            String name = spec instanceof GpuSpec g ? g.name() : ((ModelSpec) spec).name();
            CliTestSupport.Result result = CliTestSupport.run("catalog", "show", name.toUpperCase(Locale.ROOT));
            assertThat(result.exitCode()).as(result.err()).isZero();
            List<String> fields = block(result.out(), "fields");
            fields = fields.subList(1, fields.indexOf("derived"));
            // every component of the record (and of a record nested in it, as parent.child) has its line, so a
            // component added to GpuSpec, GpuCalibration or ModelSpec shows without a change to the command
            List<String> keys = new ArrayList<>();
            leafKeys(spec, ConfigMapper.json().valueToTree(spec), "", keys);
            assertThat(keys).isNotEmpty();
            for (String key : keys) {
                assertThat(fields).anySatisfy(line -> assertThat(line).startsWith("  " + key + " "));
            }
            assertThat(fields).hasSize(keys.size());
        }
    }

    /** The catalog keys of the non-null leaves of {@code record}, checking that each record component has one. */
    private static void leafKeys(Record record, JsonNode tree, String prefix, List<String> keys) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        assertThat(tree.size()).as("fields of %s", record.getClass().getSimpleName()).isEqualTo(components.length);
        int i = 0;
        for (var it = tree.fields(); it.hasNext(); i++) {
            var field = it.next();
            Object value;
            try {
                value = components[i].getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            if (value instanceof Record nested) {
                leafKeys(nested, field.getValue(), prefix + field.getKey() + ".", keys);
            } else if (value instanceof java.util.Map<?, ?> map) {
                // a map (the measured all-reduce curves by group size) prints one line per entry
                assertThat(field.getValue().size()).isEqualTo(map.size());
                field.getValue().fieldNames().forEachRemaining(k -> keys.add(prefix + field.getKey() + "." + k));
            } else if (value != null) {
                keys.add(prefix + field.getKey());
            }
        }
    }

    @Test
    void showJsonPrintsACatalogFileThatReadsBackToTheSameEntry(@TempDir Path dir) throws IOException {
        Catalog bundled = Catalog.load();
        for (String name : List.of("h100-sxm", "qwen3-32b")) {
            CliTestSupport.Result result = CliTestSupport.run("catalog", "show", name, "--json");
            assertThat(result.exitCode()).as(result.err()).isZero();
            Path file = dir.resolve(name + ".json");
            Files.writeString(file, result.out());
            Catalog overlaid = Catalog.load(Optional.of(file));
            assertThat(overlaid.models().find(name)).isEqualTo(bundled.models().find(name));
            assertThat(overlaid.gpus().find(name)).isEqualTo(bundled.gpus().find(name));
            assertThat(overlaid.models().find(name).map(m -> overlaid.models().source(m.name()))
                    .or(() -> overlaid.gpus().find(name).map(g -> overlaid.gpus().source(g.name()))))
                    .contains(file.toString());
        }
    }

    @Test
    void showOfAUserEntryNamesItsFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, TINY_MODELS.formatted("llama-2-7b"));
        CliTestSupport.Result result = CliTestSupport.run("catalog", "show", "Llama-2-7B", "--catalog", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("model llama-2-7b (from " + file + ")\n").containsPattern("  layers +2\n");
    }

    @Test
    void showOfAnUnknownNameIsOneLineWithTheNearNamesAndExitStatus2() {
        CliTestSupport.Result result = CliTestSupport.run("catalog", "show", "lama-3.1-8b");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo(
                "servesim: no model or GPU named 'lama-3.1-8b' in the catalog; did you mean Llama-3.1-8B?\n");
    }

    @Test
    void showOfANameNothingResemblesPointsToTheList() {
        CliTestSupport.Result result = CliTestSupport.run("catalog", "show", "gpt-4");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(Arrays.asList(result.err().split("\n"))).singleElement().asString()
                .endsWith("'servesim catalog list' shows every name");
    }

    @Test
    void aMissingUserFileIsAUsageError(@TempDir Path dir) {
        CliTestSupport.Result result = CliTestSupport.run("catalog", "list", "--catalog", dir.resolve("none.json").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("none.json");
    }
}
