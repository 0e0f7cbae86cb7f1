package io.servesim.analysis.figures;

/**
 * A figure written to {@code figures/}: its base name, title, one sentence on how to read it,
 * and the PNG (300 dpi) and SVG files relative to the results folder.
 */
public record Figure(String name, String title, String caption, String png, String svg) {
}
