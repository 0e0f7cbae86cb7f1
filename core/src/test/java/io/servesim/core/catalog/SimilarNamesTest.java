package io.servesim.core.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimilarNamesTest {

    private static final List<String> MODELS = List.of("Llama-2-7B", "Llama-3-8B", "Llama-3.1-8B", "Qwen3-32B", "Mistral-7B");

    @Test
    void aNameThatDiffersOnlyInPunctuationAndCaseIsTheOnlySuggestion() {
        assertThat(SimilarNames.near("llama3-8b", MODELS)).containsExactly("Llama-3-8B");
    }

    @Test
    void oneTypoIsNear() {
        // "lama-2-7c" → "lama27c", 7 characters: at most 1 edit; "llama27b" is 2 away, "llama38b" 3
        assertThat(SimilarNames.near("llama-2-7c", MODELS)).containsExactly("Llama-2-7B");
        assertThat(SimilarNames.near("lama-2-7c", MODELS)).isEmpty();
    }

    @Test
    void aPrefixOfThreeOrMoreCharactersIsNear() {
        assertThat(SimilarNames.near("qwen", MODELS)).containsExactly("Qwen3-32B");
        // the containing name first, then the one-edit "h200"
        assertThat(SimilarNames.near("h100", List.of("A100-80GB", "H100-SXM", "H200"))).containsExactly("H100-SXM", "H200");
    }

    @Test
    void somethingElseEntirelyHasNoSuggestion() {
        assertThat(SimilarNames.near("gpt-4", MODELS)).isEmpty();
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(SimilarNames.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(SimilarNames.editDistance("", "abc")).isEqualTo(3);
        assertThat(SimilarNames.editDistance("abc", "abc")).isZero();
    }

    @Test
    void didYouMeanJoinsTheNearNamesWithCommasAndOr() {
        assertThat(SimilarNames.didYouMean("llama", MODELS)).isEqualTo("did you mean Llama-2-7B, Llama-3-8B or Llama-3.1-8B? ");
        assertThat(SimilarNames.didYouMean("qwen", MODELS)).isEqualTo("did you mean Qwen3-32B? ");
        assertThat(SimilarNames.didYouMean("gpt-4", MODELS)).isEmpty();
    }
}
