package io.servesim.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of core, checked on the compiled classes: its package graph (as {@code jdeps} reads it from the
 * bytecode) has no cycle, and no main class is past 400 lines (STYLE 15: a class that long is asking to be split,
 * and a package cycle is a seam in the wrong place).
 */
class ArchitectureTest {
    private static final Path CLASSES = Path.of("target", "classes");
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.servesim\\.core[\\w.]*)\\s+->\\s+(io\\.servesim\\.core[\\w.]*)\\s");

    @Test
    void corePackageGraphIsAcyclic() {
        Map<String, Set<String>> graph = packageGraph();
        assertThat(graph).as("jdeps found core's packages").containsKeys("io.servesim.core.engine", "io.servesim.core.sched");
        List<Set<String>> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(graph)) {
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
        assertThat(cycles).as("package cycles in core").isEmpty();
    }

    @Test
    void schedulersSeeTheEngineOnlyThroughCoreSched() {
        assertThat(packageGraph().getOrDefault("io.servesim.core.sched", Set.of()))
                .doesNotContain("io.servesim.core.engine", "io.servesim.core.memory", "io.servesim.core.metrics");
    }

    @Test
    void noMainClassInCoreIsOver400Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                long lines;
                try (Stream<String> s = Files.lines(file)) {
                    lines = s.count();
                }
                if (lines > 400) {
                    tooLong.add(file + " (" + lines + " lines)");
                }
            }
        }
        assertThat(tooLong).isEmpty();
    }

    /** Package → packages it uses, within core, from {@code jdeps -verbose:package} over the compiled classes. */
    private static Map<String, Set<String>> packageGraph() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package",
                "-e", "io\\.servesim\\.core.*", CLASSES.toString());
        assertThat(status).as("jdeps: %s", err).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
                graph.computeIfAbsent(m.group(2), k -> new TreeSet<>());
            }
        }
        return graph;
    }

    /** Tarjan's strongly connected components. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Integer> low = new TreeMap<>();
        List<String> stack = new ArrayList<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                visit(v, graph, index, low, stack, onStack, components, counter);
            }
        }
        return components;
    }

    private static void visit(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, List<String> stack, Set<String> onStack,
                              List<Set<String>> components, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.add(v);
        onStack.add(v);
        for (String w : graph.get(v)) {
            if (!index.containsKey(w)) {
                visit(w, graph, index, low, stack, onStack, components, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }
}
