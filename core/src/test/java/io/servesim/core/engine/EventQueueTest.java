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
            q.push(t, 1, i, 0);
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
            q.push(5.0, 1, i, i * 10L);
        }
        for (int i = 0; i < 100; i++) {
            q.pop();
            assertThat(q.target()).isEqualTo(i);
            assertThat(q.tag()).isEqualTo(i * 10L);
        }
    }

    @Test
    void equalTimesPopLowerKindFirst() {
        // An arrival (kind 0) pushed after an iteration end (kind 1) at the same instant is seen first.
        EventQueue q = new EventQueue();
        q.push(1.0, 1, 7, 0);
        q.push(1.0, 0, 8, 0);
        q.push(0.5, 2, 9, 0);
        q.pop();
        assertThat(q.target()).isEqualTo(9);
        q.pop();
        assertThat(q.target()).isEqualTo(8);
        q.pop();
        assertThat(q.target()).isEqualTo(7);
    }

    @Test
    void rejectsNaNTimes() {
        assertThatThrownBy(() -> new EventQueue().push(Double.NaN, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
