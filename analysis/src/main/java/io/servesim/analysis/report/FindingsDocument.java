package io.servesim.analysis.report;

import java.util.List;

/**
 * The findings as text, independent of the output format: sections of paragraphs, bullet lists
 * and tables. {@link MarkdownRenderer} and {@link HtmlReportRenderer} render the same document,
 * so findings.md and report.html always say the same thing.
 */
public record FindingsDocument(String title, List<String> preamble, List<Section> sections) {

    /**
     * A titled part of the document; {@code level} 2 is a step, 3 a part of a step. {@code figures} names the
     * figures (by {@code Figure.name}) that illustrate it, shown after its blocks.
     */
    public record Section(int level, String title, List<Block> blocks, List<String> figures) {

        public Section {
            blocks = List.copyOf(blocks);
            figures = List.copyOf(figures);
        }

        public Section(int level, String title, List<Block> blocks) {
            this(level, title, blocks, List.of());
        }

        /** The section's anchor in report.html: its title in lower case, runs of other characters as '-'. */
        public String anchor() {
            return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        }
    }

    /** A paragraph, a bullet list or a table. */
    public sealed interface Block permits Paragraph, Bullets, TableBlock {
    }

    public record Paragraph(String text) implements Block {
    }

    public record Bullets(List<String> items) implements Block {
    }

    public record TableBlock(List<String> header, List<List<String>> rows) implements Block {
    }
}
