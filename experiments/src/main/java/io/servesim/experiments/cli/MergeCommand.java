package io.servesim.experiments.cli;

import io.servesim.experiments.output.OutputFolder;
import io.servesim.experiments.plan.ShardMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code servesim merge --out DIR SHARD_FOLDER...}: the result files of a run split with {@code --shard I/N}, built
 * from the records of its shards by the run's own command with {@code --records-only}, so they are the files one
 * process would have written (docs/cluster.md). On any mistake the output folder is removed again.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Build a run's result files from the folders of its shards (--shard I/N), as one process would.")
public final class MergeCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New folder for the run's files.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "SHARD_FOLDER", description = "The folders of the shards, in any order.")
    List<Path> shards;

    @Override
    public Integer call() {
        ShardMerge merge = ShardMerge.of(shards, ServeSimVersion.current().asMap());
        if (Files.exists(out)) {
            throw new UserInputException("--out " + out + ": already exists; merge writes the run's files into a new folder");
        }
        OutputFolder.requireWritable("--out", out);
        PrintWriter err = spec.commandLine().getErr();
        int status;
        try {
            merge.gatherRecords(out);
            status = ServeSimCli.execute(spec.commandLine().getOut(), err,
                    merge.recordsOnlyCommand(out).toArray(String[]::new));
        } catch (RuntimeException e) {
            removeTree(out);
            throw e;
        }
        if (status != 0) {
            removeTree(out);
            if (!merge.absentShards().isEmpty()) {
                ServeSimCli.printMistake(err, "no folder was given for shard(s) " + String.join(", ", merge.absentShards()));
            }
        }
        return status;
    }

    private static void removeTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the unfinished " + dir, e);
        }
    }
}
