package io.servesim.experiments.output;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.core.engine.Simulation;
import io.servesim.experiments.cli.ServeSimCli;
import io.servesim.schedulers.Schedulers;
import io.servesim.workloads.WorkloadSpecs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Results are written by one writer: no main class of any module but {@link AtomicFiles} calls an API that creates,
 * writes, copies or renames a file (read from the bytecode of every module's main classes, which this module's test
 * class path holds). Anything else would bypass the temporary file and atomic rename (a half-written file after a
 * crash) or the umask (a file the group cannot read).
 */
class ResultsWriterArchitectureTest {
    /** Owner → methods ({@code <init>} for constructors) that write a file whatever their arguments. */
    private static final Map<String, Set<String>> WRITES = Map.of(
            "java.nio.file.Files", Set.of("write", "writeString", "newOutputStream", "newBufferedWriter",
                    "newByteChannel", "createFile", "createTempFile", "createTempDirectory", "move", "createLink",
                    "createSymbolicLink"),
            "java.io.FileOutputStream", Set.of("<init>"),
            "java.io.FileWriter", Set.of("<init>"),
            "java.io.RandomAccessFile", Set.of("<init>"),
            "java.io.File", Set.of("createNewFile", "createTempFile", "renameTo"),
            "java.nio.channels.FileChannel", Set.of("open"),
            "java.nio.channels.AsynchronousFileChannel", Set.of("open"),
            "javax.imageio.stream.FileImageOutputStream", Set.of("<init>"),
            "org.knowm.xchart.BitmapEncoder", Set.of("saveBitmap", "saveBitmapWithDPI", "saveJPGWithQuality"),
            "org.knowm.xchart.VectorGraphicsEncoder", Set.of("saveVectorGraphic"));
    /** Owners whose methods write a file when given a {@link File} or a {@link Path}: Jackson, image and CSV writers. */
    private static final Set<String> WRITE_TO_A_FILE_ARGUMENT = Set.of("com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.databind.ObjectWriter", "com.fasterxml.jackson.core.JsonFactory",
            "javax.imageio.ImageIO", "org.apache.commons.csv.CSVFormat");
    /** Owners whose constructors open a file when given a {@link File} or a file name as their first argument. */
    private static final Set<String> OPEN_A_FILE_NAME = Set.of("java.io.PrintWriter", "java.io.PrintStream",
            "java.util.Formatter");
    /** Owners any of whose calls write a file (Tablesaw's table writer). */
    private static final Set<String> FILE_WRITERS = Set.of("tech.tablesaw.io.DataFrameWriter");

    private static final DescribedPredicate<JavaCall<?>> WRITES_A_FILE = new DescribedPredicate<>("writes a file") {
        @Override
        public boolean test(JavaCall<?> call) {
            AccessTarget.CodeUnitCallTarget target = call.getTarget();
            String owner = target.getOwner().getName();
            String name = target.getName();
            List<String> parameters = target.getRawParameterTypes().stream().map(JavaClass::getName).toList();
            if (WRITES.getOrDefault(owner, Set.of()).contains(name) || FILE_WRITERS.contains(owner)) {
                return true;
            }
            if (owner.equals(Files.class.getName()) && name.equals("copy")) {
                return parameters.get(1).equals(Path.class.getName()); // copy(Path, OutputStream) only reads
            }
            if (OPEN_A_FILE_NAME.contains(owner)) {
                return name.equals("<init>") && !parameters.isEmpty()
                        && Set.of(String.class.getName(), File.class.getName()).contains(parameters.get(0));
            }
            return WRITE_TO_A_FILE_ARGUMENT.contains(owner) && !name.startsWith("read")
                    && (parameters.contains(File.class.getName()) || parameters.contains(Path.class.getName()));
        }
    };

    /** The rule: only the one writer writes files. */
    static final ArchRule ONLY_THE_WRITER_WRITES_FILES = noClasses()
            .that(not(belongToAnyOf(AtomicFiles.class)))
            .should().callCodeUnitWhere(WRITES_A_FILE)
            .because("every result file goes through AtomicFiles (temporary file in the same folder, atomic rename,"
                    + " mode by the umask)");

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        // Where each module's main classes are (a folder or a jar, as the build put them on the class path).
        List<Location> modules = Stream.of(Simulation.class, WorkloadSpecs.class, Schedulers.class, AtomicFiles.class,
                ServeSimCli.class).map(ResultsWriterArchitectureTest::location).toList();
        mainClasses = new ClassFileImporter().importLocations(modules);
    }

    private static Location location(Class<?> type) {
        try {
            return Location.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void noMainClassButTheAtomicWriterWritesAFile() {
        // The import must hold the code under test: every module's main classes, the writer among them.
        assertThat(mainClasses.stream().map(c -> c.getPackageName().split("\\.")).filter(p -> p.length > 2)
                .map(p -> p[2]).distinct())
                .contains("core", "workloads", "schedulers", "analysis", "experiments");
        assertThat(mainClasses.contain(AtomicFiles.class)).isTrue();
        assertThat(mainClasses.stream().map(JavaClass::getName)).noneMatch(n -> n.endsWith("Test"))
                .contains(OutputFolder.class.getName(), "io.servesim.analysis.figures.FigureRenderer");

        ONLY_THE_WRITER_WRITES_FILES.check(mainClasses);
    }

    @Test
    void theRuleFindsEachKindOfDirectWrite() {
        JavaClasses direct = new ClassFileImporter().importClasses(WritesDirectly.class);

        String violations = ONLY_THE_WRITER_WRITES_FILES.evaluate(direct).getFailureReport().toString();

        assertThat(violations)
                .contains("Files.writeString", "Files.move", "Files.createTempFile", "FileOutputStream.<init>",
                        "Files.copy(java.nio.file.Path, java.nio.file.Path, [Ljava.nio.file.CopyOption;)",
                        "ObjectMapper.writeValue", "BitmapEncoder.saveBitmapWithDPI",
                        "PrintWriter.<init>(java.lang.String, java.lang.String)")
                .doesNotContain("writeValueAsString", "Files.readString", "Files.delete",
                        "Files.copy(java.nio.file.Path, java.io.OutputStream)",
                        "PrintWriter.<init>(java.io.OutputStream)");
    }

    /** A class that writes files each way the rule forbids, and uses what it allows (reads, deletes, strings). */
    @SuppressWarnings("unused")
    static final class WritesDirectly {
        void write(Path file, org.knowm.xchart.XYChart chart) throws IOException {
            Files.writeString(file, "x");
            Files.move(file, file.resolveSibling("y"));
            Path tmp = Files.createTempFile("a", "b");
            Files.copy(tmp, file);
            Files.copy(tmp, System.out);
            try (OutputStream out = new java.io.FileOutputStream(file.toFile())) {
                out.write(1);
            }
            new com.fasterxml.jackson.databind.ObjectMapper().writeValue(file.toFile(), Map.of());
            org.knowm.xchart.BitmapEncoder.saveBitmapWithDPI(chart, file.toString(),
                    org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG, 300);
            new java.io.PrintWriter(file.toString(), "UTF-8").close();
            new java.io.PrintWriter(System.out).flush();
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of());
            Files.readString(file);
            Files.delete(tmp);
        }
    }
}
