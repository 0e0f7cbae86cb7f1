package io.servesim.core.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FairShareTest {

    @Test
    void flowsOnOneLinkSplitItEvenly() {
        double[] rates = new double[3];
        new FairShare(new double[] {90}).rates(3, new int[][] {{0}, {0}, {0}}, rates);
        assertThat(rates).containsExactly(30, 30, 30);
    }

    @Test
    void aFlowHeldBackByOneLinkLeavesTheRestOfAnotherToItsNeighbour() {
        // Link 0 (capacity 1) carries A and B, link 1 (capacity 2) carries A and C. Filling: at rate 0.5 link 0 is
        // full, so A and B stop at 0.5; C grows on alone to use link 1's remaining 1.5.
        double[] rates = new double[3];
        new FairShare(new double[] {1, 2}).rates(3, new int[][] {{0, 1}, {0}, {1}}, rates);
        assertThat(rates[0]).isCloseTo(0.5, within(1e-12));
        assertThat(rates[1]).isCloseTo(0.5, within(1e-12));
        assertThat(rates[2]).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void aFlowWithoutLinksIsUnlimited() {
        double[] rates = new double[2];
        new FairShare(new double[] {10}).rates(2, new int[][] {{}, {0}}, rates);
        assertThat(rates[0]).isInfinite();
        assertThat(rates[1]).isEqualTo(10);
    }
}
