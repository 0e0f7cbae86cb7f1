package io.servesim.core.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrefixChainTest {

    @Test
    void aChainContinuedFromItsPrefixEqualsTheWholeChain() {
        // prefix of 100 tokens in 16-token blocks: blocks 0…5 lie inside it, 6… belong to the request
        long[] whole = new long[20];
        PrefixChain.fill(whole, 20, 16, 7, 100, 42);
        long[] prefixOnly = new long[6];
        PrefixChain.fill(prefixOnly, 0, 6, 16, PrefixChain.start(7), 6 * 16, 0);
        long[] continued = new long[20];
        System.arraycopy(prefixOnly, 0, continued, 0, 6);
        PrefixChain.fill(continued, 6, 20, 16, prefixOnly[5], 100, 42);
        assertThat(continued).containsExactly(whole);
    }

    @Test
    void sequencesShareExactlyTheBlocksOfTheirSharedPrefix() {
        long[] a = new long[10];
        long[] b = new long[10];
        PrefixChain.fill(a, 10, 16, 3, 64, 1); // 4 prefix blocks
        PrefixChain.fill(b, 10, 16, 3, 64, 2);
        for (int i = 0; i < 4; i++) {
            assertThat(a[i]).isEqualTo(b[i]);
        }
        for (int i = 4; i < 10; i++) {
            assertThat(a[i]).isNotEqualTo(b[i]);
        }
        long[] other = new long[10];
        PrefixChain.fill(other, 10, 16, 4, 64, 1);
        assertThat(other[0]).as("another prefix").isNotEqualTo(a[0]);
    }
}
