package io.servesim.analysis.report;

import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.report.FindingsDocument.Block;
import io.servesim.analysis.report.FindingsDocument.Bullets;
import io.servesim.analysis.report.FindingsDocument.Paragraph;
import io.servesim.analysis.report.FindingsDocument.Section;
import io.servesim.analysis.report.FindingsDocument.TableBlock;
import java.util.List;

/**
 * Renders report.html: one self-contained page (inline CSS, no scripts, no network) with the
 * findings, their tables and the figures, referenced relatively under {@code figures/} so the page
 * opens from the results folder. Every text is HTML-escaped.
 */
public final class HtmlReportRenderer {

    private static final String CSS = "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
            + "line-height:1.45;color:#222}table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}"
            + "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left}th{background:#eee}"
            + "figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.9em;color:#444}";

    public String render(FindingsDocument document, List<Figure> figures) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(document.title())).append("</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n<h1>")
                .append(escape(document.title())).append("</h1>\n");
        document.preamble().forEach(line -> html.append("<p>").append(escape(line)).append("</p>\n"));
        for (Section section : document.sections()) {
            html.append("<h").append(section.level()).append('>').append(escape(section.title()))
                    .append("</h").append(section.level()).append(">\n");
            section.blocks().forEach(block -> block(html, block));
        }
        html.append("<h2>Figures</h2>\n");
        if (figures.isEmpty()) {
            html.append("<p>No figure: the results hold no data for any of them.</p>\n");
        }
        for (Figure figure : figures) {
            html.append("<figure id=\"").append(escape(figure.name())).append("\">\n<a href=\"").append(escape(figure.png()))
                    .append("\"><img src=\"").append(escape(figure.svg())).append("\" alt=\"").append(escape(figure.title()))
                    .append("\"></a>\n<figcaption><strong>").append(escape(figure.title())).append(".</strong> ")
                    .append(escape(figure.caption())).append(" (<a href=\"").append(escape(figure.png()))
                    .append("\">PNG, 300 dpi</a>, <a href=\"").append(escape(figure.svg())).append("\">SVG</a>)</figcaption>\n</figure>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static void block(StringBuilder html, Block block) {
        if (block instanceof Paragraph p) {
            html.append("<p>").append(escape(p.text())).append("</p>\n");
        } else if (block instanceof Bullets b) {
            html.append("<ul>\n");
            b.items().forEach(item -> html.append("<li>").append(escape(item)).append("</li>\n"));
            html.append("</ul>\n");
        } else if (block instanceof TableBlock t) {
            html.append("<table>\n<tr>");
            t.header().forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
            html.append("</tr>\n");
            for (List<String> row : t.rows()) {
                html.append("<tr>");
                row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
                html.append("</tr>\n");
            }
            html.append("</table>\n");
        }
    }

    /** Escapes the five characters with a meaning in HTML text and attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
