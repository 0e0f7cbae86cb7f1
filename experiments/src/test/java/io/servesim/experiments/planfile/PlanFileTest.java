package io.servesim.experiments.planfile;

import com.fasterxml.jackson.databind.node.IntNode;
import io.servesim.analysis.figures.StudyFigures;
import io.servesim.core.config.ConfigException;
import io.servesim.core.config.ConfigMapper;
import io.servesim.experiments.plan.CapacitySearches;
import io.servesim.experiments.plan.CapacitySpec;
import io.servesim.experiments.plan.Cell;
import io.servesim.experiments.plan.FinishedCell;
import io.servesim.experiments.plan.PlanFolder;
import io.servesim.experiments.plan.PlanProgress;
import io.servesim.experiments.plan.PlanRunner;
import io.servesim.experiments.plan.ResultRow;
import io.servesim.experiments.plan.ResultsCsv;
import io.servesim.experiments.report.PlanReport;
import io.servesim.experiments.report.PlanReports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plan files: strict reading, cell expansion and the bundled plans run at a small scale. */
class PlanFileTest {
    @TempDir
    Path dir;

    @Test
    void theLegacyPlanExpandsToTwentyPlusEightPlusSixCellsInPlanOrderWithFifteenCapacitySearches() {
        PlanFile plan = BundledPlans.load("stress-legacy").withCapacity(CapacitySpec.defaults());
        CellExpansion expansion = new CellExpansion(plan);
        List<Cell> step1 = expansion.cells(plan.steps().get(0), d -> null, c -> 1.0);
        List<Cell> step2 = expansion.cells(plan.steps().get(1), d -> null, c -> 1.0);
        List<Cell> step3 = expansion.cells(plan.steps().get(2), d -> IntNode.valueOf(8), c -> 1.0);
        // 4 request counts × 5 configurations; 8 GPU counts; 6 K values
        assertThat(step1).hasSize(20);
        assertThat(step2).hasSize(8);
        assertThat(step3).hasSize(6);
        assertThat(step1.get(0).id()).isEqualTo("step1-static-g1-n1000-r0");
        assertThat(step1.get(4).id()).isEqualTo("step1-multi_bin-k4-g4-n1000-r0");
        assertThat(step1.get(4).label()).isEqualTo("multi_bin K=4 on 4 GPUs");
        assertThat(step1.get(0).label()).isEqualTo("static on 1 GPU");
        assertThat(step2.get(7).id()).isEqualTo("step2-multi_bin-k4-g100-n1000000-r0");
        assertThat(step3.get(5).id()).isEqualTo("step3-multi_bin-k32-g8-n1000000-r0");
        assertThat(step1.get(0).scenario().scheduling().router().typeName()).isEqualTo("least_loaded");
        List<Cell> all = new java.util.ArrayList<>(step1);
        all.addAll(step2);
        all.addAll(step3);
        Set<String> ids = new HashSet<>();
        all.forEach(c -> assertThat(ids.add(c.id())).as(c.id()).isTrue());
        // every arm of step 1 at one request count sees the same requests (common random numbers)
        assertThat(step1.subList(0, 5)).extracting(c -> c.scenario().seed()).containsOnly(step1.get(0).scenario().seed());
        // searches: static, dynamic, multi-bin on 1, 2, 4 (step 1) + 8 GPU counts, of which 1, 2 and 4 are shared,
        // + K 1, 2, 8, 16, 32 on 8 GPUs (K = 4 on 8 GPUs is step 2's): 5 + 5 + 5 = 15
        assertThat(new CapacitySearches(CapacitySpec.defaults(), plan.seed()).distinct(all)).hasSize(15);
    }

    @Test
    void capsKeepTheSmallerValuesAndAddTheCapAndARuleRoutesOnlyTheCellsItMatches() {
        PlanFile plan = BundledPlans.load("stress-legacy").withCap("requests", 2000).withCap("gpus", 8)
                .withRule(new OverrideRule(Map.of("scheduler.type", com.fasterxml.jackson.databind.node.TextNode.valueOf(
                        "multi_bin")), Map.of("router", new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode().put("type", "bin_affinity"))));
        assertThat(plan.ladders().get("requests")).extracting(n -> n.asLong()).containsExactly(1000L, 2000L);
        assertThat(plan.ladders().get("gpus")).extracting(n -> n.asInt()).containsExactly(1, 2, 4, 8);
        List<Cell> step1 = new CellExpansion(plan).cells(plan.steps().get(0), d -> null, c -> 1.0);
        assertThat(step1).hasSize(10);
        assertThat(step1.get(0).scenario().scheduling().router().typeName()).isEqualTo("least_loaded");
        assertThat(step1.get(2).scenario().scheduling().router().typeName()).isEqualTo("bin_affinity");
    }

    @Test
    void theDocumentedExamplePlanReadsItsBaseRelativeToItselfAndExpandsToTwelveConfigurationsAtLoads() {
        PlanFile plan = PlanFileReader.read(Path.of("../docs/examples/plans/schedulers-vs-load.yaml"));
        // 3 policies × 4 loads × 2 replications; load 0.5 of a capacity of 20 req/s on the scenario's 12 req/s
        List<Cell> cells = new CellExpansion(plan).cells(plan.steps().get(0), d -> null, c -> 20.0);
        assertThat(cells).hasSize(24);
        assertThat(cells.get(0).scenario().workload().rpsScale()).isEqualTo(0.5 * 20.0 / 12.0);
        assertThat(cells.get(0).scenario().deployment().model()).isEqualTo("Llama-2-7B");
        assertThat(cells.get(0).label()).isEqualTo("continuous at 0.5x capacity");
    }

    @Test
    void rangesProductsAndZipsExpandInTheOrderWritten() {
        PlanFile plan = PlanFileReader.read("""
                base: {workload: stress}
                steps:
                  - name: s
                    axes:
                      workload.requests: {from: 100, to: 300, step: 100}
                      gpus: {from: 1, to: 4, factor: 2}
                  - name: z
                    combine: zip
                    axes:
                      deployment.tp: [1, 2]
                      gpus: [2, 4]
                """, "t", null);
        List<Cell> product = new CellExpansion(plan).cells(plan.steps().get(0), d -> null, c -> 1.0);
        assertThat(product).extracting(Cell::id).containsExactly("s-requests100-gpus1-r0", "s-requests100-gpus2-r0",
                "s-requests100-gpus4-r0", "s-requests200-gpus1-r0", "s-requests200-gpus2-r0", "s-requests200-gpus4-r0",
                "s-requests300-gpus1-r0", "s-requests300-gpus2-r0", "s-requests300-gpus4-r0");
        List<Cell> zipped = new CellExpansion(plan).cells(plan.steps().get(1), d -> null, c -> 1.0);
        // tp 1 on 2 GPUs is 2 replicas; tp 2 on 4 GPUs is 2 replicas of 2 GPUs
        assertThat(zipped).extracting(c -> c.scenario().deployment().replicas()).containsExactly(2, 2);
        assertThat(zipped).extracting(Cell::gpus).containsExactly(2, 4);
    }

    @Test
    void everyMistakeIsNamedByItsDottedPathAllAtOnce() {
        assertThatThrownBy(() -> PlanFileReader.read("""
                base: {workload: stress, sedd: 1}
                replications: 0
                load: {relative_to: capacity, values: [0.5, -1]}
                steps:
                  - name: a
                    axes:
                      scheduler.bins: [1, 2]
                      deployment.tp: {from: 1, to: 4}
                    colour: red
                  - name: b
                    set: {gpus: {derived: best_gpus, from: a}}
                    axes: [{gpus: [1, 2], deployment.tp: [1]}]
                  - name: c
                    set: {gpus: {derived: best_gpu_count, from: d}}
                """, "bad.yaml", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bad.yaml: ")
                .hasMessageContaining("base.sedd: is not a scenario section")
                .hasMessageContaining("replications: must be an integer >= 1, got 0")
                .hasMessageContaining("load.values: must hold numbers > 0, got -1")
                .hasMessageContaining("steps[0].axes.deployment.tp: a range needs exactly one of step")
                .hasMessageContaining("steps[0].colour: unknown key")
                .hasMessageContaining("steps[1].set.gpus.derived: unknown rule 'best_gpus'; known: best_gpu_count")
                .hasMessageContaining("steps[1].axes[0]: zipped keys [gpus, deployment.tp] have lists of different lengths")
                .hasMessageContaining("steps[2]: derives a value from 'd', which is not an earlier step");
    }

    @Test
    void theDefaultStressPlanComparesSchedulersOnEqualGpusAtLoadsRelativeToCapacityAndBothBatchingsAcrossK() {
        PlanFile plan = BundledPlans.load("stress");
        CellExpansion expansion = new CellExpansion(plan);
        List<Cell> step1 = expansion.cells(plan.steps().get(0), d -> null, c -> 10.0);
        assertThat(step1).extracting(Cell::gpus).containsOnly(4);
        assertThat(step1).extracting(c -> c.scenario().scheduling().scheduler().typeName())
                .contains("static", "continuous", "dynamic", "multi_bin");
        // load 0.5 × a capacity of 10 req/s on the stress preset's 1 req/s: rps_scale 5
        assertThat(step1.get(0).scenario().workload().rpsScale()).isEqualTo(5.0);
        assertThat(step1.get(0).id()).isEqualTo("step1-static-g4-n1000-load0.5-r0");
        assertThat(plan.effectiveLoad(plan.steps().get(0)).relativeToCapacity()).isTrue();
        assertThat(plan.measuresCapacity(plan.steps().get(1))).isFalse();
        List<Cell> step3 = expansion.cells(plan.steps().get(2), d -> null, c -> 1.0);
        // 2 batchings × 6 K × 3 replications
        assertThat(step3).hasSize(36);
        assertThat(step3).extracting(Cell::id).contains("step3-multi_bin-k32-static-g4-n20000-r2",
                "step3-multi_bin-k1-dynamic-g4-n20000-r0");
    }

    @Test
    void nestedArmsAreTheOutermostGroupNamedByTheirPathWithJoinedLabelsAndTheInnerSettingsWinning() {
        PlanFile plan = PlanFileReader.read("""
                base: {workload: stress}
                steps:
                  - name: s
                    id: "s-[{arms.1}-]{arms.0}-x{workload.rps_scale}"
                    label: "{arm_label}"
                    axes:
                      workload.rps_scale: [1, 2.5]
                    arms:
                      - name: a
                        label: big
                        set: {deployment.tp: 2, workload.requests: 300}
                        arms:
                          - {name: one, label: "one replica", set: {deployment.replicas: 1}}
                          - {name: two, label: "two replicas", set: {deployment.replicas: 2, deployment.tp: 1}}
                      - {name: b, set: {deployment.tp: 4}}
                  - name: plain
                    arms: [{name: x, label: "the x arm", set: {deployment.tp: 2}}]
                    axes: {workload.requests: [100, 200]}
                """, "t", null);
        CellExpansion expansion = new CellExpansion(plan);
        List<Cell> cells = expansion.cells(plan.steps().get(0), d -> null, c -> 1.0);
        // arms outermost, then the axis; an arm without inner arms has one name; integral scales read without ".0"
        assertThat(cells).extracting(Cell::id).containsExactly("s-one-a-x1-r0", "s-one-a-x2.5-r0", "s-two-a-x1-r0",
                "s-two-a-x2.5-r0", "s-b-x1-r0", "s-b-x2.5-r0");
        PlanFile shallow = PlanFileReader.read("""
                base: {workload: stress}
                steps: [{name: s, id: "s-{arms.1}", arms: [{name: b}]}]
                """, "t", null);
        assertThatThrownBy(() -> new CellExpansion(shallow).cells(shallow.steps().get(0), d -> null, c -> 1.0))
                .isInstanceOf(ConfigException.class).hasMessageContaining("{arms.1} has no value");
        assertThat(cells).extracting(Cell::label).containsExactly("big: one replica", "big: one replica",
                "big: two replicas", "big: two replicas", "b", "b");
        // the inner arm's tp wins over the outer's; the outer's request count reaches both of its arms only
        assertThat(cells).extracting(c -> c.scenario().deployment().tp()).containsExactly(2, 2, 1, 1, 4, 4);
        assertThat(cells).extracting(c -> c.scenario().deployment().replicas()).containsExactly(1, 1, 2, 2, 1, 1);
        assertThat(cells.subList(0, 4)).extracting(c -> c.scenario().workload().requests()).containsOnly(300L);
        assertThat(cells.get(4).scenario().workload().requests()).isNotEqualTo(300L);
        // without templates: the step, the arm's name and the axis values; the arm's label and the axis values
        List<Cell> plain = expansion.cells(plan.steps().get(1), d -> null, c -> 1.0);
        assertThat(plain).extracting(Cell::id).containsExactly("plain-x-requests100-r0", "plain-x-requests200-r0");
        assertThat(plain).extracting(Cell::label).containsExactly("the x arm, workload.requests=100",
                "the x arm, workload.requests=200");
    }

    @Test
    void aConfigurationWhoseWeightsDoNotFitIsLeftOutWithItsArithmeticOnlyWhenThePlanSaysSkip() {
        String plan = """
                base: {workload: stress, deployment: {model: GPT-3-175B}}
                %s
                steps:
                  - name: s
                    axes: {deployment.tp: [1, 8]}
                """;
        PlanFile skip = PlanFileReader.read(plan.formatted("unfit: skip"), "t", null);
        CellExpansion expansion = new CellExpansion(skip);
        // GPT-3-175B: 326.30 GiB of weights; one H100 holds 71.64 GiB, eight hold 40.79 GiB each
        assertThat(expansion.cells(skip.steps().get(0), d -> null, c -> 1.0)).extracting(Cell::id)
                .containsExactly("s-tp8-r0");
        assertThat(expansion.notRun()).singleElement().asString().startsWith("deployment.tp=1: not run: GPT-3-175B does"
                + " not fit on H100-SXM: weights 326.30 GiB");

        PlanFile stop = PlanFileReader.read(plan.formatted(""), "t", null);
        PlanFolder folder = new PlanFolder(dir.resolve("stop"));
        PlanRunner runner = new PlanRunner("t", folder, 1, false, false,
                new PlanProgress(new PrintWriter(new StringWriter()), PlanProgress.mode(true)));
        assertThatThrownBy(() -> new PlanFileRun(stop, Set.of(), folder, runner, Map.of()).validate())
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not fit");
        PlanFile none = PlanFileReader.read(plan.formatted("unfit: skip").replace("[1, 8]", "[1, 2]"), "t", null);
        assertThatThrownBy(() -> new PlanFileRun(none, Set.of(), folder, runner, Map.of()).validate())
                .isInstanceOf(ConfigException.class).hasMessageContaining("no configuration of the plan t can run:")
                .hasMessageContaining("deployment.tp=2: not run");
        assertThat(dir.resolve("stop")).doesNotExist();
    }

    @Test
    void theAnalysesAreNamedFromTheListAndTheirOptionsCheckedBeforeAnythingRuns() {
        PlanFile plan = PlanFileReader.read("""
                base: {workload: stress}
                steps: [{name: s}]
                analysis: [{name: changes, columns: [ttft_p50_s]}, gpu_usage]
                """, "t", null);
        assertThat(plan.findings()).isFalse();
        assertThat(plan.tables()).extracting(AnalysisChoice::name).containsExactly("changes", "gpu_usage");
        assertThat(plan.figureKinds()).containsExactlyInAnyOrderElementsOf(StudyFigures.KINDS);
        PlanFile twoFigures = PlanFileReader.read("""
                base: {workload: stress}
                steps: [{name: s}]
                analysis: [{name: findings, figures: [latency_cdf, throughput_by_configuration]}]
                """, "t", null);
        assertThat(twoFigures.findings()).isTrue();
        assertThat(twoFigures.figureKinds()).containsExactly("latency_cdf", "throughput_by_configuration");
        assertThat(PlanFileReader.read("base: {workload: stress}\nsteps: [{name: s}]\n", "t", null).findings()).isTrue();
        assertThat(PlanFileReader.read("base: {workload: stress}\nsteps: [{name: s}]\nanalysis: false\n", "t", null)
                .analysis()).isEmpty();
        assertThatThrownBy(() -> PlanFileReader.read("""
                base: {workload: stress}
                steps: [{name: s}]
                analysis: [{name: findings, figures: [pie]}, figures, {name: changes, colour: red}, {name: layouts, answers: {g: {column: x, compare: ratio}}}]
                """, "bad.yaml", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("analysis[1]: unknown analysis 'figures'; analyses: findings, outcomes, changes,"
                        + " layouts, gpu_usage, experts, cost_energy")
                .hasMessageContaining("analysis[0].figures: unknown figure 'pie'; figures: throughput_vs_requests,"
                        + " p95_e2e_vs_requests, throughput_vs_gpus, resources_vs_gpus, change_vs_k,"
                        + " throughput_by_configuration, latency_cdf")
                .hasMessageContaining("analysis[2].colour: unknown key; known keys here: columns, shown")
                .hasMessageContaining("analysis[2].columns: must be a non-empty list of result columns")
                .hasMessageContaining("analysis[3].answers.g.compare: must be speedup, gain or value");
    }

    @Test
    void theRateFactorMultipliesEveryCellsRateWhateverSetItAndTheSearchesStartButNotALoadRelativeToCapacity() {
        PlanFile moe = BundledPlans.load("moe");
        PlanFile doubled = moe.withRpsFactor(2);
        List<Cell> cells = new CellExpansion(doubled).cells(doubled.steps().get(0), d -> null, c -> 1.0);
        // the arms' loads 10, 25 and 40 (the workload's 1 req/s × rps_scale), doubled; the searches start at 2 × 40
        assertThat(cells.subList(0, 3)).extracting(c -> c.scenario().workload().rpsScale()).containsExactly(20.0, 50.0,
                80.0);
        assertThat(doubled.capacityStart()).isEqualTo(80.0);
        // a load axis of the plan (scale) and a base without one (rps_scale 1) are multiplied too
        PlanFile plain = PlanFileReader.read("""
                base: {workload: stress}
                rps_factor: 3
                steps:
                  - {name: base}
                  - {name: scaled, load: {scale: [2, 4]}}
                """, "t", null);
        CellExpansion expansion = new CellExpansion(plain);
        assertThat(expansion.cells(plain.steps().get(0), d -> null, c -> 1.0).get(0).scenario().workload().rpsScale())
                .isEqualTo(3.0);   // the stress preset's rps_scale 1, tripled
        assertThat(expansion.cells(plain.steps().get(1), d -> null, c -> 1.0))
                .extracting(c -> c.scenario().workload().rpsScale()).containsExactly(6.0, 12.0);
        assertThatThrownBy(() -> BundledPlans.load("stress").withRpsFactor(2)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("relative to capacity");
    }

    @Test
    void aMeasuringStepsSearchesStartAtTheGivenScaleSoTheLoadsOfAConfigurationShareOne() {
        PlanFile plan = BundledPlans.load("moe");
        assertThat(plan.capacityStartScale()).isEqualTo(40.0);
        List<Cell> cells = new CellExpansion(plan).cells(plan.steps().get(0), d -> null, c -> 1.0);
        // 4 layouts × (3 loads uniform + 1 load skewed) = 16 cells, one search per layout and routing
        assertThat(cells).hasSize(16);
        List<io.servesim.experiments.plan.CapacityCell> searches = new CapacitySearches(plan.capacity(), plan.seed(),
                plan.capacityStartScale()).distinct(cells);
        assertThat(searches).hasSize(8);
        assertThat(searches).allSatisfy(s -> assertThat(s.scenario().workload().rpsScale()).isEqualTo(40.0));
        // started at each cell's own load, the three loads of a layout would ask one search for three starts
        assertThatThrownBy(() -> new CapacitySearches(plan.capacity(), plan.seed()).distinct(cells))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyBundledPlanRunsAtASmallScaleWithItsReportsAndReadsBackFromItsConfig() {
        for (String name : BundledPlans.names()) {
            PlanFile plan = BundledPlans.load(name);
            for (String ladder : plan.ladders().keySet()) {
                plan = plan.withCap(ladder, ladder.contains("requests") ? 200 : 2);
            }
            // the studies set their request counts per arm: 200 requests in every cell
            plan = plan.withRule(new OverrideRule(Map.of(), Map.of("workload.requests", IntNode.valueOf(200))));
            if (plan.needsCapacity()) {
                plan = plan.withCapacity(new CapacitySpec(null, 0.25, 100L, null, 3));
            }
            Path out = dir.resolve(name);
            PlanFolder folder = new PlanFolder(out);
            PlanRunner runner = new PlanRunner(plan.experiment(), folder, 2, false, false,
                    new PlanProgress(new PrintWriter(new StringWriter()), PlanProgress.mode(true)));
            PlanFileRun run = new PlanFileRun(plan, Set.of(), folder, runner, Map.of());
            int expected = run.cellCount();
            PlanFileRun.Outcome outcome = run.execute();
            assertThat(outcome.cells()).as(name).hasSize(expected).isNotEmpty();
            String allFile = plan.allResultsFile() != null ? plan.allResultsFile() : plan.stepFile(plan.steps().get(0).name());
            List<ResultRow> all = ResultsCsv.read(out.resolve(allFile));
            assertThat(all).as(name).hasSize(expected);
            for (FinishedCell cell : outcome.cells()) {
                ResultRow row = cell.row();
                // every request accounted for
                assertThat(row.number("arrived")).as(cell.cell().id())
                        .isEqualTo(row.number("completed") + row.number("failed") + row.number("in_flight"));
                assertThat(row.number("requests")).as(cell.cell().id()).isEqualTo(200);
            }
            for (AnalysisChoice table : plan.tables()) {
                StringWriter printed = new StringWriter();
                List<Path> files = PlanReports.byName(table.name()).write(new PlanReport.Input(new PrintWriter(printed),
                        folder, plan.experiment(), outcome.cells(), run.expansion().notRun(), table.options()));
                // each report prints its table or writes its files (or both)
                assertThat(printed.toString().isBlank() && files.isEmpty()).as(name + " " + table.name()).isFalse();
                assertThat(files).as(name + " " + table.name()).allSatisfy(f -> assertThat(f).isRegularFile());
            }
            // config.json holds the plan as run: read back, it expands to the same cells
            PlanFile again = PlanFileReader.read(ConfigMapper.read(out.resolve("config.json"),
                    com.fasterxml.jackson.databind.JsonNode.class).get("plan").toString(), name, null);
            assertThat(new PlanFileRun(again, Set.of(), folder, runner, Map.of()).provisionalCells()).as(name)
                    .isEqualTo(run.provisionalCells());
        }
    }
}
