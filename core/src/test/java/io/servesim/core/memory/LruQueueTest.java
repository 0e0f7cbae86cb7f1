package io.servesim.core.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LruQueueTest {

    @Test
    void pollsTheOldestMemberAndSkipsRemovedOnes() {
        LruQueue q = new LruQueue(5);
        q.add(3);
        q.add(1);
        q.add(4);
        q.remove(1);
        q.add(1); // rejoins as the most recent
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.poll()).isEqualTo(3);
        assertThat(q.poll()).isEqualTo(4);
        assertThat(q.poll()).isEqualTo(1);
        assertThat(q.size()).isZero();
        assertThatThrownBy(q::poll).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16, 100})
    void keepsTheOrderOfAnInsertionOrderedSetThroughManyCompactions(int n) {
        // Random adds, removes and polls on n ints; the model is a LinkedHashSet (insertion order = recency of the
        // last add). 200,000 operations fill the ring of ≥ 2n entries again and again, so it compacts many times.
        SplittableRandom random = new SplittableRandom(n);
        LruQueue q = new LruQueue(n);
        LinkedHashSet<Integer> model = new LinkedHashSet<>();
        List<Integer> polled = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (int step = 0; step < 200_000; step++) {
            int x = random.nextInt(n);
            int op = random.nextInt(10);
            if (op < 5) {
                if (!model.contains(x)) {
                    model.add(x);
                    q.add(x);
                }
            } else if (op < 9) {
                if (model.remove(x)) {
                    q.remove(x);
                }
            } else if (!model.isEmpty()) {
                Integer oldest = model.iterator().next();
                model.remove(oldest);
                expected.add(oldest);
                polled.add(q.poll());
            }
            assertThat(q.size()).isEqualTo(model.size());
        }
        assertThat(expected).hasSizeGreaterThan(5_000);
        assertThat(polled).isEqualTo(expected);
    }
}
