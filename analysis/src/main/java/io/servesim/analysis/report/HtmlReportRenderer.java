package io.servesim.analysis.report;

import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.report.FindingsDocument.Block;
import io.servesim.analysis.report.FindingsDocument.Bullets;
import io.servesim.analysis.report.FindingsDocument.Paragraph;
import io.servesim.analysis.report.FindingsDocument.Section;
import io.servesim.analysis.report.FindingsDocument.TableBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders report.html: one self-contained page (inline CSS, no scripts, no network) that opens with its title
 * (what the report is), the summary, what was simulated and a table of contents, then each step with its figures
 * beside it. Figures are referenced relatively under {@code figures/} so the page opens from the results folder.
 * Every text is HTML-escaped.
 */
public final class HtmlReportRenderer {

    private static final String CSS = "body{font-family:sans-serif;max-width:62em;margin:2em auto;padding:0 1em;"
            + "line-height:1.45;color:#222}table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}"
            + "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#eee}"
            + "figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.9em;color:#444}"
            + "nav{background:#f6f6f6;border:1px solid #ddd;padding:.5em 1em;margin:1em 0}nav ul{margin:.2em 0}"
            + "h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}";

    public String render(FindingsDocument document, List<Figure> figures) {
        Map<String, Figure> byName = figures.stream().collect(Collectors.toMap(Figure::name, Function.identity()));
        List<String> anchors = anchors(document.sections());
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(document.title())).append("</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n<h1>")
                .append(escape(document.title())).append("</h1>\n");
        document.preamble().forEach(line -> html.append("<p>").append(escape(line)).append("</p>\n"));
        List<Figure> placed = new ArrayList<>();
        for (int i = 0; i < document.sections().size(); i++) {
            Section section = document.sections().get(i);
            if (i == 2 || (i == document.sections().size() - 1 && i < 2)) {
                contents(html, document.sections(), anchors);
            }
            html.append("<h").append(section.level()).append(" id=\"").append(anchors.get(i)).append("\">")
                    .append(escape(section.title())).append("</h").append(section.level()).append(">\n");
            section.blocks().forEach(block -> block(html, block));
            for (String name : section.figures()) {
                Figure figure = byName.get(name);
                if (figure != null) {
                    figure(html, figure);
                    placed.add(figure);
                }
            }
        }
        List<Figure> unplaced = figures.stream().filter(f -> !placed.contains(f)).toList();
        if (!unplaced.isEmpty()) {
            html.append("<h2 id=\"other-figures\">Other figures</h2>\n");
            unplaced.forEach(f -> figure(html, f));
        }
        return html.append("</body>\n</html>\n").toString();
    }

    /** The table of contents: every level-2 section, with its level-3 sections nested. */
    private static void contents(StringBuilder html, List<Section> sections, List<String> anchors) {
        html.append("<nav>\n<strong>Contents</strong>\n<ul>\n");
        boolean open = false;
        for (int i = 0; i < sections.size(); i++) {
            Section section = sections.get(i);
            if (section.level() == 2) {
                if (open) {
                    html.append("</ul></li>\n");
                    open = false;
                }
                boolean children = i + 1 < sections.size() && sections.get(i + 1).level() > 2;
                html.append("<li><a href=\"#").append(anchors.get(i)).append("\">").append(escape(section.title()))
                        .append("</a>").append(children ? "\n<ul>\n" : "</li>\n");
                open = children;
            } else if (open) {
                html.append("<li><a href=\"#").append(anchors.get(i)).append("\">").append(escape(section.title()))
                        .append("</a></li>\n");
            }
        }
        if (open) {
            html.append("</ul></li>\n");
        }
        html.append("</ul>\n</nav>\n");
    }

    /** Unique anchors: a repeated title gets -2, -3, … */
    private static List<String> anchors(List<Section> sections) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> anchors = new ArrayList<>();
        for (Section section : sections) {
            String anchor = section.anchor().isEmpty() ? "section" : section.anchor();
            int n = seen.merge(anchor, 1, Integer::sum);
            anchors.add(n == 1 ? anchor : anchor + "-" + n);
        }
        return anchors;
    }

    private static void figure(StringBuilder html, Figure figure) {
        html.append("<figure id=\"").append(escape(figure.name())).append("\">\n<a href=\"").append(escape(figure.png()))
                .append("\"><img src=\"").append(escape(figure.svg())).append("\" alt=\"").append(escape(figure.title()))
                .append("\"></a>\n<figcaption><strong>").append(escape(figure.title())).append(".</strong> ")
                .append(escape(figure.caption())).append(" (<a href=\"").append(escape(figure.png()))
                .append("\">PNG, 300 dpi</a>, <a href=\"").append(escape(figure.svg())).append("\">SVG</a>)</figcaption>\n</figure>\n");
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
