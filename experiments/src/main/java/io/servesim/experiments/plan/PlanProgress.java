package io.servesim.experiments.plan;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a running plan tells its user on stderr. {@link Mode#BAR} (a terminal) redraws one line —
 * cells done / total, elapsed, ETA; {@link Mode#LINES} (a log or a pipe) prints one line when a step's
 * last cell finishes; {@link Mode#QUIET} prints nothing. Called from worker threads, hence synchronized.
 */
public final class PlanProgress {
    /** How progress is shown. */
    public enum Mode { BAR, LINES, QUIET }

    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final Mode mode;
    private int total;
    private final Map<String, int[]> remainingByStep = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private int done;
    private int resumed;
    private int searchesTotal;
    private int searchesDone;

    public PlanProgress(PrintWriter err, Mode mode) {
        this.err = err;
        this.mode = mode;
    }

    /** The cells the whole run will finish (a plan run in phases announces them all up front). */
    public synchronized void setTotal(int cells) {
        total = cells;
    }

    /** The mode for a run: the bar on a terminal, nothing when quiet, step lines otherwise. */
    public static Mode mode(boolean quiet) {
        return quiet ? Mode.QUIET : System.console() != null ? Mode.BAR : Mode.LINES;
    }

    /** Announces the cells and the capacity searches of a phase, so that a step's end can be recognised. */
    synchronized void expect(List<Cell> cells, int capacitySearches) {
        total = Math.max(total, done + cells.size());
        for (Cell cell : cells) {
            remainingByStep.computeIfAbsent(cell.step(), s -> new int[1])[0]++;
        }
        searchesTotal += capacitySearches;
    }

    synchronized void searchFinished(CapacityCell search, boolean fromRecord) {
        searchesDone++;
        switch (mode) {
            case BAR -> drawBar(search.id());
            case LINES -> {
                if (searchesDone == searchesTotal) {
                    err.printf(Locale.ROOT, "capacity searches done: %d/%d, %s elapsed%n", searchesDone, searchesTotal,
                            duration(elapsedSeconds()));
                }
            }
            case QUIET -> { }
        }
    }

    synchronized void cellFinished(Cell cell, boolean fromRecord) {
        done++;
        if (fromRecord) {
            resumed++;
        }
        int[] remaining = remainingByStep.get(cell.step());
        boolean stepDone = remaining != null && --remaining[0] == 0;
        switch (mode) {
            case BAR -> drawBar(cell.id());
            case LINES -> {
                if (stepDone) {
                    err.printf(Locale.ROOT, "%s done: %d/%d cells, %s elapsed%n", cell.step(), done, total,
                            duration(elapsedSeconds()));
                }
            }
            case QUIET -> { }
        }
    }

    /** Ends the bar's line. */
    synchronized void finish() {
        if (mode == Mode.BAR && done > 0) {
            err.println();
        }
        err.flush();
    }

    private void drawBar(String lastId) {
        double elapsed = elapsedSeconds();
        int simulated = done - resumed;
        double eta = simulated == 0 ? Double.NaN : elapsed / simulated * (total - done);
        int filled = total == 0 ? BAR_WIDTH : BAR_WIDTH * done / total;
        String searches = searchesTotal == 0 ? "" : String.format(Locale.ROOT, "  %d/%d capacity", searchesDone, searchesTotal);
        err.printf(Locale.ROOT, "\r[%s%s] %d/%d cells%s  %s elapsed  ETA %s  %-40s", "#".repeat(filled),
                " ".repeat(BAR_WIDTH - filled), done, total, searches, duration(elapsed),
                Double.isNaN(eta) ? "?" : duration(eta), lastId);
        err.flush();
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? String.format(Locale.ROOT, "%.1fs", seconds) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
