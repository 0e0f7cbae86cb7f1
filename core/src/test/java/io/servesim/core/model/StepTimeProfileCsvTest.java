package io.servesim.core.model;

import io.servesim.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A profile table with a mistake fails with one line that names the file, the line and the field. */
class StepTimeProfileCsvTest {
    private static final String HEADER = "model,gpu,tp,prefill_tokens,decode_batch,context_tokens,time_ms\n";
    private static final String VALID = HEADER
            + "M,G,1,128,0,0,10.5\n"
            + "M,G,1,0,8,1024,12.0\n";

    private static List<StepTimeProfile> read(String text) throws IOException {
        return StepTimeProfileCsv.read(new StringReader(text), "t.csv");
    }

    @Test
    void aValidTableGroupsRowsByModelGpuAndTp() throws IOException {
        List<StepTimeProfile> profiles = read(VALID + "M,G,2,128,0,0,6.0\nM,G,2,0,8,1024,7.0\n");
        assertThat(profiles).extracting(StepTimeProfile::label).containsExactly("M/G/tp1", "M/G/tp2");
        assertThat(profiles.get(0).points()).hasSize(2);
    }

    @Test
    void columnsMayComeInAnyOrderAndCommentsAreSkipped() throws IOException {
        String text = "# measured with vLLM\ntime_ms,model,gpu,tp,prefill_tokens,decode_batch,context_tokens\n"
                + "10.5,M,G,1,128,0,0\n12.0,M,G,1,0,8,1024\n";
        assertThat(read(text).get(0).points().get(0).timeMs()).isEqualTo(10.5);
    }

    @Test
    void aWrongHeaderNamesTheExpectedColumns() {
        assertThatThrownBy(() -> read("model,gpu,tokens,time\nM,G,1,2\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("t.csv: the header must name the columns");
    }

    @Test
    void anEmptyFileAndAHeaderWithoutRowsAreRejected() {
        assertThatThrownBy(() -> read("")).isInstanceOf(ConfigException.class).hasMessageContaining("an empty file");
        assertThatThrownBy(() -> read(HEADER)).isInstanceOf(ConfigException.class).hasMessageContaining("no rows");
    }

    @Test
    void badValuesNameTheLineAndTheColumn() {
        assertThatThrownBy(() -> read(VALID + "M,G,1,abc,0,0,1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("t.csv line 4: prefill_tokens must be an integer");
        assertThatThrownBy(() -> read(VALID + "M,G,1,64,0,0,-1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("line 4: time_ms must be a finite number > 0");
        assertThatThrownBy(() -> read(VALID + "M,G,1,64,4,0,1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> read(VALID + "M,G,0,64,0,0,1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tp must be >= 1");
        assertThatThrownBy(() -> read(VALID + "M,G,1,64,0\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected 7 values, got 5");
    }

    @Test
    void aRepeatedPointAndAGroupWithoutDecodeRowsAreRejected() {
        assertThatThrownBy(() -> read(VALID + "M,G,1,128,0,0,11\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> read(VALID + "M,H,1,128,0,0,11\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("M/H/tp1 needs at least one decode row");
    }

    @Test
    void aMissingFileIsAConfigMistake(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> StepTimeProfileCsv.read(dir.resolve("none.csv")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
        Path binary = Files.write(dir.resolve("b.csv"), new byte[] {0, 1, 2, '"', 10, '"', 3});
        assertThatThrownBy(() -> StepTimeProfileCsv.read(binary)).isInstanceOf(ConfigException.class);
    }
}
