package io.servesim.analysis.figures;

import java.awt.BasicStroke;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Draws a run's {@code timeseries.csv} (docs/results-schema.md): requests waiting and running, tokens per iteration,
 * and KV use and busy fraction over simulated time — one line per replica for up to {@value #MAX_LINES} replicas,
 * the cluster's total (requests) or mean (fractions) beyond that. A series of fewer than two samples is not drawn.
 */
public final class TimeSeriesFigures {
    static final int MAX_LINES = 4;

    private TimeSeriesFigures() {
    }

    /** Draws the figures of {@code csv} with {@code renderer}; returns the PNG files written. */
    public static List<Path> draw(Path csv, FigureRenderer renderer) {
        Table table = Table.read().csv(CsvReadOptions.builder(csv.toFile())
                .columnTypes(name -> name.equals("replica") ? ColumnType.INTEGER : ColumnType.DOUBLE).build());
        int replicas = table.intColumn("replica").countUnique();
        List<Table> perReplica = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            perReplica.add(table.where(table.intColumn("replica").isEqualTo(r)));
        }
        if (perReplica.isEmpty() || perReplica.get(0).rowCount() < 2) {
            return List.of();
        }
        List<Path> written = new ArrayList<>();
        written.add(draw(renderer, perReplica, "timeseries_requests", "Requests waiting and running",
                "requests", List.of(new Line("waiting", "queue_length", false), new Line("running", "running", false)),
                "Requests waiting in each replica's queue and in its running batch, sampled on the time-series grid."));
        written.add(draw(renderer, perReplica, "timeseries_tokens", "Tokens per iteration",
                "tokens per iteration", List.of(new Line("tokens/iteration", "tokens_per_iteration", true)),
                "Mean tokens (prefill and decode) per iteration of the iterations that ended in each grid cell;"
                        + " gaps are cells without an iteration."));
        written.add(draw(renderer, perReplica, "timeseries_usage", "KV cache use and busy fraction",
                "fraction", List.of(new Line("KV used", "kv_fraction", true), new Line("busy", "busy_fraction", true)),
                "KV blocks in use over the replica's blocks at each grid point, and the fraction of each grid cell"
                        + " with an iteration in flight."));
        return written;
    }

    /** One quantity: its legend label, its column and whether it is averaged (true) or summed over replicas. */
    private record Line(String label, String column, boolean mean) {
    }

    private static Path draw(FigureRenderer renderer, List<Table> perReplica, String name, String title,
                             String yTitle, List<Line> lines, String caption) {
        boolean each = perReplica.size() <= MAX_LINES;
        int legend = lines.size() * (each ? perReplica.size() : 1);
        XYChart chart = ChartStyle.timeChart(renderer.options(), title, "simulated time (s)", yTitle, legend);
        Table first = perReplica.get(0);
        double[] time = first.doubleColumn("time_s").asDoubleArray();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int index = 0;
        for (Line line : lines) {
            for (int r = 0; r < (each ? perReplica.size() : 1); r++) {
                double[] y = new double[time.length];
                for (int i = 0; i < time.length; i++) {
                    y[i] = each ? value(perReplica.get(r), line.column(), i) : aggregate(perReplica, line, i);
                    if (!Double.isNaN(y[i])) {
                        min = Math.min(min, y[i]);
                        max = Math.max(max, y[i]);
                    }
                }
                String label = each && perReplica.size() > 1 ? line.label() + ", replica " + r
                        : each ? line.label() : line.label() + (line.mean() ? " (mean of " : " (sum of ")
                        + perReplica.size() + " replicas)";
                XYSeries series = chart.addSeries(label, time, y);
                ChartStyle.dataSeries(series, index++);
                if (time.length > 40) {
                    // hundreds of samples: thin solid lines told apart by colour, markers only at a few points
                    series.setMarker(SeriesMarkers.NONE);
                    series.setLineStyle(new BasicStroke(0.7f));
                }
            }
        }
        if (min <= max) {
            ChartStyle.roundedYTicks(chart, Math.min(0, min), max);
        }
        ChartStyle.roundXTicks(chart, time);
        renderer.render(chart, "run", name, caption);
        return renderer.figuresDir().resolve(name + ".png");
    }

    private static double aggregate(List<Table> perReplica, Line line, int i) {
        double sum = 0;
        int n = 0;
        for (Table t : perReplica) {
            double v = value(t, line.column(), i);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : line.mean() ? sum / n : sum;
    }

    private static double value(Table t, String column, int i) {
        if (i >= t.rowCount()) {
            return Double.NaN;
        }
        if (column.equals("kv_fraction")) {
            return t.doubleColumn("kv_blocks_used").getDouble(i) / t.doubleColumn("kv_blocks_total").getDouble(i);
        }
        return t.doubleColumn(column).getDouble(i);
    }
}
