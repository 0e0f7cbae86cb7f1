package io.servesim.analysis.report;

import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.report.FindingsDocument.Block;
import io.servesim.analysis.report.FindingsDocument.Bullets;
import io.servesim.analysis.report.FindingsDocument.Paragraph;
import io.servesim.analysis.report.FindingsDocument.Section;
import io.servesim.analysis.report.FindingsDocument.TableBlock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Renders a {@link FindingsDocument} as Markdown (findings.md), each section followed by its figures. */
public final class MarkdownRenderer {

    public String render(FindingsDocument document) {
        return render(document, List.of());
    }

    public String render(FindingsDocument document, List<Figure> figures) {
        Map<String, Figure> byName = figures.stream().collect(Collectors.toMap(Figure::name, Function.identity()));
        StringBuilder md = new StringBuilder("# ").append(document.title()).append("\n\n");
        document.preamble().forEach(line -> md.append(line).append("\n\n"));
        for (Section section : document.sections()) {
            md.append("#".repeat(section.level())).append(' ').append(section.title()).append("\n\n");
            for (Block block : section.blocks()) {
                block(md, block);
                md.append('\n');
            }
            for (String name : section.figures()) {
                Figure figure = byName.get(name);
                if (figure != null) {
                    md.append("![").append(figure.title()).append("](").append(figure.png()).append(")\n\n")
                            .append("*").append(figure.title()).append(".* ").append(figure.caption()).append("\n\n");
                }
            }
        }
        return md.toString();
    }

    private static void block(StringBuilder md, Block block) {
        if (block instanceof Paragraph p) {
            md.append(p.text()).append('\n');
        } else if (block instanceof Bullets b) {
            b.items().forEach(item -> md.append("- ").append(item).append('\n'));
        } else if (block instanceof TableBlock t) {
            row(md, t.header());
            md.append('|').append(" --- |".repeat(t.header().size())).append('\n');
            t.rows().forEach(r -> row(md, r));
        }
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append('|');
        cells.forEach(cell -> md.append(' ').append(cell.replace("|", "\\|")).append(" |"));
        md.append('\n');
    }
}
