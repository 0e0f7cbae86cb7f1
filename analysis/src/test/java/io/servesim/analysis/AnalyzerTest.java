package io.servesim.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servesim.analysis.figures.Figure;
import io.servesim.analysis.output.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** One small stress-plan folder analysed once; the tests read what it wrote. */
class AnalyzerTest {

    @TempDir
    static Path stressDir;

    private static AnalysisResult result;

    @BeforeAll
    static void analyseSmallStressFolder() {
        ResultsFixture step1 = new ResultsFixture();
        for (long requests : new long[] {1_000, 10_000}) {
            step1.row().requests(requests).scheduler("dynamic").gpus(2).served(100).e2eP95(2.0);
            step1.row().requests(requests).scheduler("multi_bin").k(4).gpus(2).served(120).e2eP95(1.5);
            step1.row().requests(requests).scheduler("static").gpus(2).served(130).e2eP95(0.5).saturated(1.8);
        }
        step1.write(stressDir, "comprehensive_stress_results_step1_request_scaling.csv");
        ResultsFixture step2 = new ResultsFixture();
        double[] goodput = {100, 190, 360, 400};
        for (int i = 0; i < goodput.length; i++) {
            step2.row().step(ResultsSchema.STEP_GPU_SCALING).scheduler("multi_bin").k(4).gpus(1 << i).served(goodput[i])
                    .set("capacity_rps_under_sla", goodput[i] * 1.1);
        }
        step2.write(stressDir, "comprehensive_stress_results_step2_gpu_scaling.csv");
        ResultsFixture step3 = new ResultsFixture();
        double[] throughput = {100, 110, 115, 115.5};
        for (int i = 0; i < throughput.length; i++) {
            step3.row().step(ResultsSchema.STEP_KBINS_SENSITIVITY).scheduler("multi_bin").k(1 << i).gpus(4)
                    .served(throughput[i]);
        }
        step3.write(stressDir, "comprehensive_stress_results_step3_kbins_sensitivity.csv");
        ResultsFixture.writeRequests(stressDir, "step1-dynamic-g2-n1000-r0", 0.5, 1.0, 1.5, 4.0);
        ResultsFixture.writeRequests(stressDir, "step1-multi_bin-k4-g2-n1000-r0", 0.4, 0.8, 1.2, 2.0);

        result = new Analyzer().analyze(stressDir);
    }

    @Test
    void writesFindingsReportAndStressAnalysisJsonWithSameContent() throws IOException {
        assertThat(stressDir.resolve(Analyzer.FINDINGS_MD)).isRegularFile();
        assertThat(stressDir.resolve(Analyzer.REPORT_HTML)).isRegularFile();
        assertThat(Files.readString(stressDir.resolve(Analyzer.STRESS_ANALYSIS_JSON)))
                .isEqualTo(Files.readString(stressDir.resolve(Analyzer.ANALYSIS_JSON)));
        try (Stream<Path> entries = Files.walk(stressDir)) {
            assertThat(entries).as("temporary files left").noneMatch(AtomicFiles::isTemporary);
        }
    }

    @Test
    void makesEachFigureThatCarriesInformationAsPngAndSvg() {
        // step 1: trends and the CDF (per-request files of two unsaturated cells); step 2: throughput vs GPUs
        // (batch size and KV use are the same at every count: no figure, said in words); step 3: the change of
        // goodput and p95 TTFT against K = 1. No busy-fraction figure: it carries no information.
        assertThat(result.figures()).extracting(Figure::name).containsExactly(
                "step1_throughput_vs_requests", "step1_p95_e2e_vs_requests", "step1_latency_cdf",
                "step2_throughput_vs_gpus", "step3_change_vs_k");
        assertThat(result.findings()).isNotNull();
        for (Figure figure : result.figures()) {
            assertThat(stressDir.resolve(figure.png())).isRegularFile();
            assertThat(stressDir.resolve(figure.svg())).isRegularFile();
        }
    }

    @Test
    void drawsOnlyTheChosenKindsOfFigureAndSaysWhichWereNotChosen(@TempDir Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(stressDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".csv.gz")).toList()) {
                Path copy = dir.resolve(stressDir.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        AnalysisResult chosen = new Analyzer().analyze(dir, java.util.Set.of("throughput_vs_gpus", "change_vs_k"));

        assertThat(chosen.figures()).extracting(Figure::name).containsExactly("step2_throughput_vs_gpus",
                "step3_change_vs_k");
        assertThat(dir.resolve("figures").resolve("step1_throughput_vs_requests.png")).doesNotExist();
        assertThat(Files.readString(dir.resolve(Analyzer.FINDINGS_MD)))
                .contains("step1_throughput_vs_requests: not drawn, the plan's analysis does not choose"
                        + " throughput_vs_requests")
                .contains("step1_latency_cdf: not drawn, the plan's analysis does not choose latency_cdf");
    }

    @Test
    void pngIsOneColumnWideAtThreeHundredDpi() throws IOException {
        // 3.5 in = 252 pt at 300 dpi = 252 · 300/72 = 1050 px wide, taller than the plot's 0.62 of the width
        Path png = stressDir.resolve("figures/step2_throughput_vs_gpus.png");
        BufferedImage image = ImageIO.read(png.toFile());

        assertThat(Files.size(png)).isGreaterThan(5_000);
        assertThat(Files.size(stressDir.resolve("figures/step2_throughput_vs_gpus.svg"))).isGreaterThan(5_000);
        assertThat(image.getWidth()).isEqualTo(1050);
        assertThat(image.getHeight()).isGreaterThan((int) (1050 * 0.62));
        // The PNG says its resolution (pHYs): 300 dots per inch = 300 / 0.0254 m = 11811 pixels per metre.
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            reader.setInput(in);
            Node root = reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            Element phys = (Element) ((Element) root).getElementsByTagName("pHYs").item(0);
            assertThat(phys).as("pHYs chunk").isNotNull();
            assertThat(phys.getAttribute("unitSpecifier")).isEqualTo("meter");
            assertThat(phys.getAttribute("pixelsPerUnitXAxis")).isEqualTo("11811");
            assertThat(phys.getAttribute("pixelsPerUnitYAxis")).isEqualTo("11811");
        } finally {
            reader.dispose();
        }
    }

    @Test
    void everyFileWrittenIsReadableAsTheUmaskMakesAnyNewFile(@TempDir Path dir) throws IOException {
        // Under umask 022 a new file is rw-r--r--: collaborators can read the figures and reports.
        Set<PosixFilePermission> plain = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        assertThat(result.writtenFiles()).anyMatch(f -> f.toString().endsWith(".png"))
                .anyMatch(f -> f.toString().endsWith(".svg")).anyMatch(f -> f.toString().endsWith(".html"));
        for (Path file : result.writtenFiles()) {
            assertThat(Files.getPosixFilePermissions(file)).as(file.toString()).isEqualTo(plain);
        }
    }

    @Test
    void gpuScalingFigureDrawsTheThroughputAcrossThePlot() throws IOException {
        // Read the figure back: the throughput series (first data colour, RGB 0 114 178) must be drawn, as a line
        // with markers spanning the four GPU counts, i.e. more than half the image's width. A figure missing the
        // series, or with its points collapsed onto one x (a degenerate axis), fails.
        BufferedImage image = ImageIO.read(stressDir.resolve("figures/step2_throughput_vs_gpus.png").toFile());
        int[] throughput = colourExtent(image, 0x0072B2);

        assertThat(throughput[0]).as("pixels of the throughput series").isGreaterThan(500);
        assertThat(throughput[2] - throughput[1]).as("horizontal extent of the throughput series")
                .isGreaterThan(image.getWidth() / 2);
    }

    /** How many pixels have exactly {@code rgb}, and the least and greatest x among them. */
    private static int[] colourExtent(BufferedImage image, int rgb) {
        int count = 0;
        int minX = Integer.MAX_VALUE;
        int maxX = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    count++;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                }
            }
        }
        return new int[] {count, minX, maxX};
    }

    @Test
    void analysisJsonListsTheFiguresMade() throws IOException {
        JsonNode json = new ObjectMapper().readTree(stressDir.resolve(Analyzer.ANALYSIS_JSON).toFile());

        assertThat(json.get("stressPlan").asBoolean()).isTrue();
        assertThat(json.get("figures")).hasSize(result.figures().size());
        assertThat(json.get("steps")).hasSize(3);
        assertThat(json.get("steps").get(1).get("gpuScaling").get("series").get(0).get("bestGpus").asInt()).isEqualTo(8);
    }

    @Test
    void findingsSayWhichSaturatedCellsLatencyRankingExcludes() throws IOException {
        String findings = Files.readString(stressDir.resolve(Analyzer.FINDINGS_MD));

        assertThat(findings).containsIgnoringCase("latency ranking excludes 1 saturated cells: static on 2 GPUs; "
                + "their latencies measure the run length, not the service");
        assertThat(findings).contains("multi_bin K=4 on 2 GPUs: +20.0 % throughput (single replication: no CI) and "
                + "−25.0 % p95 e2e (single replication: no CI) over dynamic on 2 GPUs at 10,000 requests");
        assertThat(findings).contains("Capacity per GPU under SLA");
    }

    @Test
    void htmlReferencesOnlyFilesAndAnchorsThatExist() throws IOException {
        String html = Files.readString(stressDir.resolve(Analyzer.REPORT_HTML));
        Matcher references = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        List<String> files = new ArrayList<>();
        List<String> anchors = new ArrayList<>();
        while (references.find()) {
            (references.group(1).startsWith("#") ? anchors : files).add(references.group(1));
        }

        assertThat(files).isNotEmpty();
        assertThat(files).allSatisfy(target -> assertThat(stressDir.resolve(target)).isRegularFile());
        assertThat(anchors).as("a table of contents").hasSizeGreaterThan(5)
                .allSatisfy(anchor -> assertThat(html).contains("id=\"" + anchor.substring(1) + "\""));
        assertThat(anchors).doesNotHaveDuplicates();
    }

    @Test
    void failedAnalysisLeavesNothingWritten(@TempDir Path dir) throws IOException {
        ResultsFixture fixture = new ResultsFixture();
        fixture.row();
        fixture.writeWithout(dir, "study_results.csv", "e2e_p95_s");

        assertThatThrownBy(() -> new Analyzer().analyze(dir)).isInstanceOf(AnalysisException.class)
                .hasMessageContaining("e2e_p95_s");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("study_results.csv");
        }
    }
}
