package org.esm2j.cli;

import org.esm2j.run.RunListener;
import org.esm2j.run.RunStats;
import picocli.CommandLine.Option;

/** How progress is shown: a live dashboard on a terminal, plain log lines elsewhere, or nothing. */
public final class ProgressOptions {

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (default: live on a terminal, log lines otherwise), live, log or none.")
    String mode;

    /** The listener that displays progress for this run. */
    public RunListener listener(RunStats stats) {
        return RunListener.NONE;
    }
}
