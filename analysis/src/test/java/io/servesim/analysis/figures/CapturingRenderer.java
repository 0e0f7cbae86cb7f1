package io.servesim.analysis.figures;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/** A renderer that keeps every chart it renders, by figure name, so that a test can read the figures back. */
final class CapturingRenderer extends FigureRenderer {
    final Map<String, XYChart> charts = new LinkedHashMap<>();

    CapturingRenderer(Path figuresDir) {
        super(figuresDir);
    }

    @Override
    public Figure render(Chart<?, ?> chart, String step, String name, String caption) {
        charts.put(name, (XYChart) chart);
        return super.render(chart, step, name, caption);
    }
}
