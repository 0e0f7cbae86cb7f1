package io.servesim.experiments.cli;

import io.servesim.analysis.AnalysisException;
import io.servesim.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code servesim} command line. Subcommands parse flags into the same records a YAML file
 * gives and hand them to the experiment. A user mistake (a bad flag, config or input file) prints
 * one line naming what is wrong and exits with status 2; nothing half-written is left behind.
 */
@Command(name = "servesim", mixinStandardHelpOptions = true, versionProvider = ServeSimCli.Version.class,
        description = "Discrete-event simulator for stress studies of LLM inference serving.",
        subcommands = {StressCommand.class, StudyCommand.class, RunCommand.class, CapacityCommand.class, SweepCommand.class, CompareCommand.class,
                AnalyzeCommand.class, BenchCommand.class, WorkloadCommand.class, ValidateCommand.class,
                StepTimeCommand.class, CalibrateCommand.class, CatalogCommand.class, CommandLine.HelpCommand.class})
public final class ServeSimCli implements Runnable {
    /** Exit status for a user mistake. */
    public static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ServeSimCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (isUserMistake(e)) {
                commandLine.getErr().println("servesim: " + e.getMessage());
                return USAGE_ERROR;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("servesim: " + e.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
            return USAGE_ERROR;
        });
        return cli.execute(args);
    }

    private static boolean isUserMistake(Exception e) {
        return e instanceof ConfigException || e instanceof UserInputException || e instanceof AnalysisException;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The release and the git commit ({@link ServeSimVersion}), as results folders record them. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            ServeSimVersion version = ServeSimVersion.current();
            return new String[] {"servesim " + version.release() + " (commit " + version.commit() + ")"};
        }
    }
}
