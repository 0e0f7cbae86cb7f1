package io.servesim.analysis.figures;

/**
 * A figure written to {@code figures/}: the step (or study) it illustrates, its base name, title, the caption (how
 * to read it, then what was simulated), and the PNG (300 dpi) and SVG files relative to the results folder.
 */
public record Figure(String step, String name, String title, String caption, String png, String svg) {
}
