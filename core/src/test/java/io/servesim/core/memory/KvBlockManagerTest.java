package io.servesim.core.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvBlockManagerTest {
    private static long[] chain(long prefixId, int blocks) {
        long[] out = new long[blocks];
        PrefixChain.fill(out, blocks, 16, prefixId, blocks * 16, -2);
        return out;
    }

    @Test
    void withoutPrefixCachingItOnlyCountsBlocks() {
        KvBlockManager kv = new KvBlockManager(10, 16, false);
        kv.allocate(7);
        assertThat(kv.freeBlocks()).isEqualTo(3);
        kv.release(7);
        assertThat(kv.usedBlocks()).isZero();
        assertThatThrownBy(() -> kv.allocate(11)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void releasedBlocksStayCachedAndAreHitByTheSamePrefix() {
        KvBlockManager kv = new KvBlockManager(10, 16, true);
        long[] a = chain(1, 4);
        int[] held = new int[4];
        kv.allocate(4);
        kv.register(a, 0, 4, held);
        kv.releaseBlocks(held, 4);
        // all free again, 4 of them cached
        assertThat(kv.freeBlocks()).isEqualTo(10);
        assertThat(kv.cachedFreeBlocks()).isEqualTo(4);
        int[] slots = new int[4];
        assertThat(kv.matchingBlocks(a, 4, slots)).isEqualTo(4);
        assertThat(kv.freeAmong(slots, 4)).isEqualTo(4);
        assertThat(kv.matchingBlocks(chain(2, 4), 4, new int[4])).isZero();
        // a hit takes the cached free blocks off the free list
        kv.acquire(slots, 3);
        assertThat(kv.freeBlocks()).isEqualTo(7);
        assertThat(kv.cachedFreeBlocks()).isEqualTo(1);
    }

    @Test
    void allocationUsesEmptyBlocksFirstThenEvictsTheLeastRecentlyUsed() {
        KvBlockManager kv = new KvBlockManager(4, 16, true);
        long[] a = chain(1, 2);
        long[] b = chain(2, 2);
        int[] held = new int[2];
        kv.allocate(2);
        kv.register(a, 0, 2, held);
        kv.releaseBlocks(held, 2); // a's blocks free, cached (older)
        kv.allocate(2);
        kv.register(b, 0, 2, held);
        kv.releaseBlocks(held, 2); // b's blocks free, cached (newer)
        assertThat(kv.cachedFreeBlocks()).isEqualTo(4);
        kv.allocate(1); // no empty block: evicts a's first block
        assertThat(kv.matchingBlocks(a, 2, new int[2])).isZero();
        assertThat(kv.matchingBlocks(b, 2, new int[2])).isEqualTo(2);
        assertThat(kv.evictions()).isEqualTo(1);
    }

    @Test
    void aSharedBlockIsFreeOnlyWhenItsLastUserLetsGo() {
        KvBlockManager kv = new KvBlockManager(8, 16, true);
        long[] a = chain(1, 2);
        int[] first = new int[2];
        kv.allocate(2);
        kv.register(a, 0, 2, first);
        int[] slots = new int[2];
        assertThat(kv.matchingBlocks(a, 2, slots)).isEqualTo(2);
        assertThat(slots).containsExactly(first);
        assertThat(kv.freeAmong(slots, 2)).as("both in use").isZero();
        kv.acquire(slots, 2); // a second sequence shares both blocks
        kv.releaseBlocks(first, 2);
        assertThat(kv.usedBlocks()).isEqualTo(2);
        kv.releaseBlocks(slots, 2);
        assertThat(kv.usedBlocks()).isZero();
        assertThat(kv.cachedBlocks()).isEqualTo(2);
    }

    @Test
    void aDuplicateRegistrationSharesTheCachedBlockAndFreesTheCopy() {
        KvBlockManager kv = new KvBlockManager(8, 16, true);
        long[] a = chain(1, 2);
        int[] first = new int[2];
        int[] second = new int[2];
        kv.allocate(2);
        kv.register(a, 0, 2, first);
        kv.allocate(2); // a concurrent sequence computed the same prefix
        kv.register(a, 0, 2, second);
        assertThat(kv.usedBlocks()).isEqualTo(2);
        assertThat(kv.cachedBlocks()).isEqualTo(2);
        assertThat(second).as("the second sequence holds the cached blocks").containsExactly(first);
    }

    @Test
    void unlistedBlocksAreCachedAndEvictedLikeOthersButFoundOnlyOnceListed() {
        KvBlockManager kv = new KvBlockManager(4, 16, true);
        long[] a = chain(1, 2);
        long[] b = chain(2, 2);
        int[] heldA = new int[2];
        int[] heldB = new int[2];
        kv.allocate(2);
        kv.registerUnlisted(a, 0, 2, heldA);
        kv.allocate(2);
        kv.register(b, 0, 2, heldB);
        kv.releaseBlocks(heldA, 2); // a's blocks free, cached, unlisted (older)
        kv.releaseBlocks(heldB, 2); // b's blocks free, cached (newer)
        assertThat(kv.cachedBlocks()).isEqualTo(4);
        assertThat(kv.cachedFreeBlocks()).isEqualTo(4);
        assertThat(kv.matchingBlocks(a, 2, new int[2])).as("not in the index").isZero();
        assertThat(kv.identity(heldA[1])).isEqualTo(a[1]);
        kv.list(heldA, 1);
        assertThat(kv.matchingBlocks(a, 2, new int[2])).as("only the first is listed").isEqualTo(1);
        kv.allocate(2); // no empty block: evicts a's two blocks, the least recently used, listed or not
        assertThat(kv.evictions()).isEqualTo(2);
        assertThat(kv.matchingBlocks(a, 2, new int[2])).isZero();
        assertThat(kv.matchingBlocks(b, 2, new int[2])).isEqualTo(2);
        assertThat(kv.cachedBlocks()).isEqualTo(2);
    }

    @Test
    void lookupHintsAreTakenOnlyWhileTheirSlotHoldsTheBlock() {
        KvBlockManager kv = new KvBlockManager(4, 16, true);
        long[] a = chain(1, 2);
        int[] held = new int[2];
        kv.allocate(2);
        kv.register(a, 0, 2, held);
        kv.releaseBlocks(held, 2);
        int[] hints = {held[1], -1};
        int[] slots = new int[2];
        assertThat(kv.matchingBlocks(a, 2, slots, hints, 2)).isEqualTo(2);
        assertThat(slots).containsExactly(held);
        assertThat(hints).as("corrected from the index").containsExactly(held);
        kv.allocate(4); // evicts both of a's blocks: their slots are empty, their hints stale
        assertThat(kv.matchingBlocks(a, 2, slots, hints, 2)).isZero();
        kv.release(4);
        long[] b = chain(2, 2);
        int[] other = new int[2];
        kv.allocate(2);
        kv.register(b, 0, 2, other); // the empty slots are reused for b's blocks
        assertThat(other).containsExactlyInAnyOrder(held);
        assertThat(kv.matchingBlocks(a, 2, slots, hints, 2)).isZero();
        assertThat(kv.matchingBlocks(b, 2, slots, new int[] {-1, -1}, 2)).isEqualTo(2);
    }

    @Test
    void theChainSeparatesPrefixFromSession() {
        long[] x = new long[4];
        long[] y = new long[4];
        // same 32-token prefix, different sessions after it
        PrefixChain.fill(x, 4, 16, 7, 32, 100);
        PrefixChain.fill(y, 4, 16, 7, 32, 101);
        assertThat(x[0]).isEqualTo(y[0]);
        assertThat(x[1]).isEqualTo(y[1]);
        assertThat(x[2]).isNotEqualTo(y[2]);
    }
}
