package org.esm2j.cli;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.InvalidParameterException;
import org.esm2j.schedule.StartupTimeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code esm2j}: the command line. Results go to files, logs and errors to stderr. */
@Command(name = "esm2j",
        description = "ESM-2 protein language model embeddings, fast, from Java.%n",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {EmbedCommand.class, VerifyCommand.class, FetchCommand.class, MergeCommand.class, DevicesCommand.class, CommandLine.HelpCommand.class},
        footer = {"%nRun 'esm2j embed --help' for the main command.%n"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StartupTimeline.mainStarted();
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (tests capture its output with setOut/setErr). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(Main::exitCodeOf);
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        cl.setParameterExceptionHandler(Main::handleParameterException);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setAbbreviatedOptionsAllowed(false);
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new VersionProvider()); // so that "embed -V" answers as "esm2j -V" does
            Set<ExitCode> own = EXIT_CODES.get(sub.getCommandName());
            if (own != null) {
                sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodeList(own));
            }
        }
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodeList(EnumSet.allOf(ExitCode.class)));
        return cl;
    }

    /** The exit codes each command can return: its help lists those, the full table is in {@code esm2j --help}. */
    private static final Map<String, Set<ExitCode>> EXIT_CODES = Map.of(
            "embed", EnumSet.complementOf(EnumSet.of(ExitCode.NETWORK)),
            "fetch", EnumSet.of(ExitCode.OK, ExitCode.FAILURE, ExitCode.USAGE, ExitCode.BAD_MODEL, ExitCode.BAD_OUTPUT, ExitCode.NETWORK,
                    ExitCode.INTERRUPTED),
            "merge", EnumSet.of(ExitCode.OK, ExitCode.FAILURE, ExitCode.USAGE, ExitCode.BAD_INPUT, ExitCode.BAD_OUTPUT, ExitCode.INTERRUPTED),
            "devices", EnumSet.of(ExitCode.OK, ExitCode.FAILURE, ExitCode.USAGE));

    private static Map<String, String> exitCodeList(Set<ExitCode> shown) {
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode c : shown) {
            codes.put(String.format("%3d", c.code()), c.meaning());
        }
        return codes;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int exitCodeOf(Throwable t) {
        if (t instanceof Esm2jException e) {
            return e.exitCode().code();
        }
        if (t instanceof InvalidParameterException || t instanceof UsageException) {
            return ExitCode.USAGE.code();
        }
        return ExitCode.FAILURE.code();
    }

    private static int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = Arrays.asList(parsed.originalArgs().toArray(new String[0])).stream()
                .anyMatch(a -> a.equals("-v") || a.equals("--verbose") || a.matches("-v+"));
        if (ex instanceof Esm2jException e) {
            err.println("esm2j: error: " + e.render(Flags::of));
            if (verbose && e.getCause() != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return e.exitCode().code();
        }
        // A mistake in the command line: the message names the flags (the library's own names the parameters).
        String usage = ex instanceof InvalidParameterException e ? e.render(Flags::of)
                : ex instanceof UsageException ? ex.getMessage() : null;
        if (usage != null) {
            err.println("esm2j: error: " + usage);
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCode.USAGE.code();
        }
        // Anything else is a bug of ours, whatever its type (an IllegalArgumentException too: each user mistake the
        // library finds is an InvalidParameterException or an Esm2jException). The user gets what went wrong in a
        // sentence; the exception's class and stack are for -v.
        String what = ex.getMessage() == null || ex.getMessage().isBlank() ? "an internal error" : ex.getMessage();
        err.println("esm2j: unexpected failure (a bug in esm2j): " + what);
        if (verbose) {
            ex.printStackTrace(err);
        } else {
            err.println("(run again with -v for the details, and please report it)");
        }
        err.flush();
        return ExitCode.FAILURE.code();
    }

    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("esm2j: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE.code();
    }
}
