package io.servesim.experiments.cli;

import io.servesim.workloads.WorkloadDescription;
import io.servesim.analysis.output.AtomicFiles;
import io.servesim.workloads.WorkloadSampler;
import io.servesim.workloads.WorkloadSpec;
import io.servesim.workloads.WorkloadSpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code servesim workload describe|sample <preset|file>}: look at a workload before simulating it. */
@Command(name = "workload", mixinStandardHelpOptions = true, description = "Describe or sample a workload (a preset or a YAML file).",
        subcommands = {WorkloadCommand.Describe.class, WorkloadCommand.Sample.class})
public final class WorkloadCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options both subcommands share. */
    static final class Source {
        @Parameters(index = "0", paramLabel = "WORKLOAD", description = "A preset name (stress, heavy, …) or a workload YAML file.")
        String workload;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the sample (default 42).")
        long seed;

        @Option(names = "--rps-scale", paramLabel = "X", description = "Multiply every profile's arrival rate.")
        Double rpsScale;

        WorkloadSpec spec() {
            WorkloadSpec spec = WorkloadSpecs.resolve(workload);
            if (rpsScale != null) {
                if (!(rpsScale > 0)) {
                    throw new UserInputException("--rps-scale must be > 0, got " + rpsScale);
                }
                spec = spec.withRpsScale(rpsScale);
            }
            return spec;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Per profile: rate, analytic and sampled mean/p50/p99 of prompt and output lengths.")
    static final class Describe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Source source;

        @Option(names = "--samples", paramLabel = "N", defaultValue = "100000", description = "Requests sampled (default 100000).")
        int samples;

        @Override
        public Integer call() {
            if (samples < 1) {
                throw new UserInputException("--samples must be >= 1, got " + samples);
            }
            spec.commandLine().getOut().print(WorkloadDescription.describe(source.spec(), source.seed, samples).toTable());
            return 0;
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true, description = "Write sampled requests to a CSV file.")
    static final class Sample implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Source source;

        @Option(names = "--requests", paramLabel = "N", defaultValue = "10000", description = "Requests to write (default 10000).")
        long requests;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The CSV file to write.")
        Path out;

        @Override
        public Integer call() {
            if (requests < 1) {
                throw new UserInputException("--requests must be >= 1, got " + requests);
            }
            long[] written = new long[1];
            AtomicFiles.write(out, raw -> {
                Writer text = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8));
                written[0] = WorkloadSampler.write(source.spec(), source.seed, requests, text);
            });
            spec.commandLine().getOut().println("wrote " + written[0] + " requests to " + out);
            return 0;
        }
    }
}
