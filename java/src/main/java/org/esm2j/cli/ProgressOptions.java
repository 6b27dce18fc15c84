package org.esm2j.cli;

import org.esm2j.progress.ProgressDisplay;
import org.esm2j.progress.ProgressMode;
import org.esm2j.progress.StderrTerminal;
import org.esm2j.schedule.RunStats;
import picocli.CommandLine.Option;

import java.time.Duration;

/** How progress is shown: a live dashboard on a terminal, plain log lines elsewhere, or nothing. */
public final class ProgressOptions {

    @Option(names = "--progress", paramLabel = "MODE",
            description = "auto (default): live on a terminal, log lines otherwise, none with -q; "
                    + "live (fails without a terminal), log or none.")
    ProgressMode mode;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "30",
            description = "Seconds between progress lines with --progress log and in --log-file (default ${DEFAULT-VALUE}; "
                    + "the first comes after at most 5 s).")
    double intervalSeconds;

    private StderrTerminal terminal;
    private ProgressMode resolved;

    /** Decides the display before any expensive work, so that {@code --progress live} without a terminal fails at once. */
    public void validate(LoggingMixin logging) {
        if (!(intervalSeconds > 0) || intervalSeconds > 86_400) {
            throw new UsageException("--progress-interval must be between 0 and 86400 seconds, got " + intervalSeconds);
        }
        terminal = StderrTerminal.probe();
        resolved = ProgressMode.resolve(mode, logging.quiet(), terminal);
    }

    /** Starts the display for a run; close it when the run ends. */
    public ProgressDisplay open(RunStats stats, LoggingMixin logging) {
        if (resolved == null) {
            validate(logging);
        }
        Duration interval = Duration.ofNanos(Math.round(intervalSeconds * 1e9));
        return ProgressDisplay.start(stats, new ProgressDisplay.Settings(resolved, interval, logging.logFile() != null), terminal);
    }
}
