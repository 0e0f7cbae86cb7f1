package io.servesim.analysis.figures;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesNamePartsTest {

    @Test
    void theLegendKeepsWhatTellsSeriesApartAndTheCaptionWhatTheyShare() {
        List<String> names = List.of("multi_bin, dynamic inside, 4 GPUs, 20,000 requests",
                "multi_bin, static inside, 4 GPUs, 20,000 requests");
        List<String> shared = StudyFigures.sharedParts(names);
        assertThat(shared).containsExactly("multi_bin", "4 GPUs", "20,000 requests");
        assertThat(StudyFigures.ownParts(names.get(0), shared)).isEqualTo("dynamic inside");
        assertThat(StudyFigures.ownParts(names.get(1), shared)).isEqualTo("static inside");
        assertThat(StudyFigures.ownParts("multi_bin, 4 GPUs", List.of("multi_bin", "4 GPUs")))
                .as("a name of shared parts only stays whole").isEqualTo("multi_bin, 4 GPUs");
    }
}
