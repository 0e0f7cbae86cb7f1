package io.servesim.analysis.figures;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.TextLayout;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Axis;

/**
 * An XY chart whose x axis is a ladder (requests, GPUs, K) and which labels every ladder value. XChart ticks a
 * labelled axis at the data positions only when they are equally spaced; a ladder such as 1, 2, …, 64, 100 GPUs
 * is not (64 → 100 is less than a doubling), so XChart falls back to evenly spaced ticks and leaves 100 without a
 * label. After XChart has painted, this chart draws a tick mark and the label of every ladder value XChart did not
 * label, in the style of XChart's own tick labels.
 */
public final class LadderChart extends XYChart {

    private List<Double> ladderPositions = List.of();
    private List<String> ladderLabels = List.of();
    private List<String> addedLabels = List.of();

    public LadderChart(int width, int height) {
        super(width, height);
    }

    /** The positions on the x axis of the ladder's values, and their labels. */
    void ladder(List<Double> positions, List<String> labels) {
        this.ladderPositions = List.copyOf(positions);
        this.ladderLabels = List.copyOf(labels);
    }

    /** The labels of the last paint: XChart's tick labels plus those this chart added. */
    public List<String> drawnXLabels() {
        List<String> drawn = new ArrayList<>(axisPair.getXAxis().getAxisTickCalculator().getTickLabels());
        drawn.addAll(addedLabels);
        return drawn;
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        super.paint(g, width, height);
        List<String> ticked = axisPair.getXAxis().getAxisTickCalculator().getTickLabels();
        List<String> added = new ArrayList<>();
        Axis<?, ?> x = axisPair.getXAxis();
        // XChart draws the x axis line a tick padding below the plot, its tick marks from there, then the labels
        double top = plot.getBounds().getMaxY() + getStyler().getAxisTickPadding();
        Font font = getStyler().getAxisTickLabelsFont();
        Color colour = getStyler().getAxisTickLabelsColor();
        for (int i = 0; i < ladderPositions.size(); i++) {
            String label = ladderLabels.get(i);
            if (ticked.contains(label)) {
                continue;
            }
            double screenX = x.getScreenValue(ladderPositions.get(i));
            g.setColor(getStyler().getAxisTickMarksColor());
            g.setStroke(getStyler().getAxisTickMarksStroke());
            g.draw(new Line2D.Double(screenX, top, screenX, top + getStyler().getAxisTickMarkLength()));
            TextLayout layout = new TextLayout(label, font, g.getFontRenderContext());
            Rectangle2D bounds = layout.getBounds();
            g.setColor(colour);
            g.fill(layout.getOutline(java.awt.geom.AffineTransform.getTranslateInstance(
                    screenX - bounds.getWidth() / 2 - bounds.getX(),
                    top + getStyler().getAxisTickMarkLength() + getStyler().getAxisTickPadding() + bounds.getHeight())));
            added.add(label);
        }
        addedLabels = List.copyOf(added);
    }
}
