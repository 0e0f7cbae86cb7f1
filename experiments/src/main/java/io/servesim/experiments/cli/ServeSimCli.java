package io.servesim.experiments.cli;

import io.servesim.analysis.AnalysisException;
import io.servesim.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code servesim} command line. Subcommands parse flags into the same records a YAML file
 * gives and hand them to the experiment. A user mistake (a bad flag, config or input file) prints
 * one line naming what is wrong and exits with status 2; nothing half-written is left behind.
 */
@Command(name = "servesim", mixinStandardHelpOptions = true, versionProvider = ServeSimCli.Version.class,
        description = "Discrete-event simulator for stress studies of LLM inference serving.")
public final class ServeSimCli implements Callable<Integer> {
    /**
     * The subcommands, in the order of the help. Picocli reflects over a command's options when it is registered, so
     * {@link #execute} registers only the one the arguments name (all of them for the top-level help), and
     * {@code --version} none: a short command does not pay for the option models of the others.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(StressCommand.class, PlanCommand.class, StudyCommand.class,
            RunCommand.class, CapacityCommand.class, SearchCommand.class, SweepCommand.class, CompareCommand.class, MergeCommand.class,
            AnalyzeCommand.class, BenchCommand.class,
            WorkloadCommand.class, ValidateCommand.class, StepTimeCommand.class, CalibrateCommand.class,
            CatalogCommand.class, CommandLine.HelpCommand.class);

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
        if (args.length > 0 && !args[0].startsWith("-") && !args[0].equals("help") && !isCommandName(args[0])) {
            printMistake(err, "unknown command '" + args[0] + "'; commands: "
                    + String.join(", ", SUBCOMMANDS.stream().map(ServeSimCli::name).toList()));
            return USAGE_ERROR;
        }
        CommandLine cli = new CommandLine(new ServeSimCli());
        boolean versionOnly = args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
        String only = args.length > 0 && !args[0].equals("help") && isCommandName(args[0]) ? args[0] : null;
        for (Class<?> type : SUBCOMMANDS) {
            if (!versionOnly && (only == null || name(type).equals(only))) {
                cli.addSubcommand(type);
            }
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.registerConverter(Integer.class, text -> (int) wholeNumber(text, Integer.MIN_VALUE, Integer.MAX_VALUE));
        cli.registerConverter(Integer.TYPE, text -> (int) wholeNumber(text, Integer.MIN_VALUE, Integer.MAX_VALUE));
        cli.registerConverter(Long.class, text -> wholeNumber(text, Long.MIN_VALUE, Long.MAX_VALUE));
        cli.registerConverter(Long.TYPE, text -> wholeNumber(text, Long.MIN_VALUE, Long.MAX_VALUE));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (isUserMistake(e)) {
                printMistake(commandLine.getErr(), e.getMessage());
                return USAGE_ERROR;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine cmd = e.getCommandLine();
            printMistake(cmd.getErr(), e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            return USAGE_ERROR;
        });
        return cli.execute(args);
    }

    /** Prints a user mistake: one line per mistake, each starting with "servesim: ", nothing unprintable. */
    static void printMistake(PrintWriter err, String message) {
        for (String line : String.valueOf(message).split("\n")) {
            err.println("servesim: " + ConfigException.printable(line));
        }
    }

    /** A flag's whole number, with the range of its field. */
    private static long wholeNumber(String text, long min, long max) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a whole number");
        }
        if (value.stripTrailingZeros().scale() > 0) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a whole number");
        }
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new CommandLine.TypeConversionException(text + " is out of range (" + min + " … " + max + ")");
        }
        return value.longValueExact();
    }

    private static boolean isCommandName(String arg) {
        for (Class<?> type : SUBCOMMANDS) {
            if (name(type).equals(arg)) {
                return true;
            }
        }
        return false;
    }

    private static String name(Class<?> type) {
        return type.getAnnotation(Command.class).name();
    }

    private static boolean isUserMistake(Exception e) {
        return e instanceof ConfigException || e instanceof UserInputException || e instanceof AnalysisException;
    }

    /** {@code servesim} alone: the usage, on the error stream, and the status of a mistake (a command is missing). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE_ERROR;
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
