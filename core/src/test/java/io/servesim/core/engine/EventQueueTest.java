package io.servesim.core.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventQueueTest {

    @Test
    void popsInTimeOrder() {
        EventQueue q = new EventQueue(2);
        SplittableRandom random = new SplittableRandom(1);
        List<Double> pushed = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double t = random.nextDouble() * 100;
            pushed.add(t);
            q.push(t, 1, -1);
        }
        pushed.sort(Double::compare);
        for (double expected : pushed) {
            q.pop();
            assertThat(q.time()).isEqualTo(expected);
        }
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void equalTimesPopFirstInFirstOut() {
        EventQueue q = new EventQueue();
        for (int i = 0; i < 100; i++) {
            q.push(5.0, 1, i);
        }
        for (int i = 0; i < 100; i++) {
            q.pop();
            assertThat(q.target()).isEqualTo(i);
        }
    }

    @Test
    void equalTimesPopLowerKindFirst() {
        // An arrival (kind 0) pushed after an iteration end (kind 1) at the same instant is seen first.
        EventQueue q = new EventQueue();
        q.push(1.0, 1, 7);
        q.push(1.0, 0, 8);
        q.push(0.5, 2, 9);
        q.pop();
        assertThat(q.target()).isEqualTo(9);
        q.pop();
        assertThat(q.target()).isEqualTo(8);
        q.pop();
        assertThat(q.target()).isEqualTo(7);
    }

    @Test
    void aTargetsNewEventReplacesItsPendingOneEarlierOrLater() {
        EventQueue q = new EventQueue();
        q.push(3.0, 1, 0);
        q.push(5.0, 1, 1);
        q.push(1.0, 1, 0);   // target 0 moves earlier
        q.push(9.0, 1, 1);   // target 1 moves later
        q.push(4.0, 0, -1);  // anonymous
        assertThat(q.size()).isEqualTo(3);
        double[] times = new double[3];
        int[] targets = new int[3];
        for (int i = 0; i < 3; i++) {
            q.pop();
            times[i] = q.time();
            targets[i] = q.target();
        }
        assertThat(times).containsExactly(1.0, 4.0, 9.0);
        assertThat(targets).containsExactly(0, -1, 1);
    }

    @Test
    void aReplacedEventQueuesBehindEventsOfTheSameTimeScheduledBeforeTheReplacement() {
        // Replacing is "remove and push again": FIFO among equal times counts from the replacement.
        EventQueue q = new EventQueue();
        q.push(2.0, 1, 0);
        q.push(2.0, 1, 1);
        q.push(2.0, 1, 0);
        q.pop();
        assertThat(q.target()).isEqualTo(1);
        q.pop();
        assertThat(q.target()).isEqualTo(0);
    }

    @Test
    void cancelRemovesOnlyThatTargetsEvent() {
        EventQueue q = new EventQueue();
        SplittableRandom random = new SplittableRandom(3);
        for (int target = 0; target < 50; target++) {
            q.push(random.nextDouble(), 1, target);
        }
        for (int target = 0; target < 50; target += 2) {
            q.cancel(target);
        }
        q.cancel(777);
        assertThat(q.size()).isEqualTo(25);
        double last = -1;
        while (!q.isEmpty()) {
            q.pop();
            assertThat(q.target() % 2).isEqualTo(1);
            assertThat(q.time()).isGreaterThanOrEqualTo(last);
            last = q.time();
            assertThat(q.isPending(q.target())).isFalse();
        }
    }

    @Test
    void rejectsNaNTimes() {
        assertThatThrownBy(() -> new EventQueue().push(Double.NaN, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
