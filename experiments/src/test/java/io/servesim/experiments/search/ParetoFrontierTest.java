package io.servesim.experiments.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParetoFrontierTest {
    record Point(String name, double cost, double value) {
    }

    @Test
    void keepsThePointsNoOtherBeatsOnBothCostAndValue() {
        // b beats a (cheaper, more); c ties d on cost with less value; e is dearer than d for the same value;
        // f is dearest and best; g has no value. Frontier by cost: b (1, 5), d (2, 8), f (4, 9).
        List<Point> points = List.of(new Point("a", 1.5, 4), new Point("b", 1, 5), new Point("c", 2, 6),
                new Point("d", 2, 8), new Point("e", 3, 8), new Point("f", 4, 9), new Point("g", 0.5, Double.NaN));
        assertThat(ParetoFrontier.of(points, Point::cost, Point::value)).extracting(Point::name)
                .containsExactly("b", "d", "f");
    }

    @Test
    void keepsTheFirstOfExactTies() {
        List<Point> points = List.of(new Point("first", 1, 1), new Point("second", 1, 1));
        assertThat(ParetoFrontier.of(points, Point::cost, Point::value)).extracting(Point::name).containsExactly("first");
    }
}
