package io.servesim.core.model;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DecodeRunTimeTest {

    @Test
    void constantIterationsAddUp() {
        // c = 5 ps, both lines 0: S(k) = 5k.
        DecodeRunTime run = new DecodeRunTime().set(5, 0, 0, 0, 0, 1000, 8);
        assertThat(run.picos(0)).isZero();
        assertThat(run.picos(7)).isEqualTo(35);
    }

    @Test
    void oneLineGrowsWithTheContextSum() {
        // t(j) = 10 + 2·(100 + 4j) + 3: t(0) = 213, t(1) = 221, t(2) = 229 → S(3) = 663.
        DecodeRunTime run = new DecodeRunTime().set(10, 2, 3, 0, 0, 100, 4);
        assertThat(run.iterationPicos(0)).isEqualTo(213);
        assertThat(run.picos(3)).isEqualTo(663);
    }

    @Test
    void theLargerLineWinsOnEachSideOfTheCrossing() {
        // line1 = 3x, line2 = x + 50: equal at x = 25; x_j = 10 + 5j → 25 at j = 3.
        // t(j) = max: j=0: max(30, 60)=60; j=1: max(45,65)=65; j=2: max(60,70)=70; j=3: 75=75; j=4: max(90,80)=90.
        DecodeRunTime run = new DecodeRunTime().set(0, 3, 0, 1, 50, 10, 5);
        assertThat(run.picos(5)).isEqualTo(60 + 65 + 70 + 75 + 90);
    }

    @Property(tries = 300)
    void closedFormEqualsTheSumOfItsIterations(@ForAll @LongRange(max = 1_000_000) long c,
                                               @ForAll @LongRange(max = 5_000) long a1,
                                               @ForAll @LongRange(max = 10_000_000) long b1,
                                               @ForAll @LongRange(max = 5_000) long a2,
                                               @ForAll @LongRange(max = 10_000_000) long b2,
                                               @ForAll @LongRange(max = 1_000_000) long x0,
                                               @ForAll @IntRange(min = 1, max = 512) int batch,
                                               @ForAll @IntRange(max = 300) int k) {
        DecodeRunTime run = new DecodeRunTime().set(c, a1, b1, a2, b2, x0, batch);
        long sum = 0;
        for (int j = 0; j < k; j++) {
            sum += run.iterationPicos(j);
        }
        assertThat(run.picos(k)).isEqualTo(sum);
    }

    @Test
    void boundarySearchesFindTheFirstAtOrAfterAndTheLastAtOrBefore() {
        // 1 µs per iteration: boundaries at 0, 1e-6, 2e-6, … seconds after the start.
        DecodeRunTime run = new DecodeRunTime().set(1_000_000, 0, 0, 0, 0, 0, 1);
        assertThat(run.firstBoundaryAtOrAfter(0, 2.5e-6, 1, 100)).isEqualTo(3);
        assertThat(run.firstBoundaryAtOrAfter(0, 1.0, 1, 100)).isEqualTo(100);
        assertThat(run.firstBoundaryAtOrAfter(0, Double.NEGATIVE_INFINITY, 4, 100)).isEqualTo(4);
        assertThat(run.lastBoundaryAtOrBefore(0, 2.5e-6, 1, 100)).isEqualTo(2);
        assertThat(run.lastBoundaryAtOrBefore(0, 0, 1, 100)).isEqualTo(1);
    }
}
