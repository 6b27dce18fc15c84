package org.esm2j.cli;

import org.esm2j.ExitCode;
import org.esm2j.output.EmbeddingWriter;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * While a run writes, SIGTERM (what SLURM sends before killing a job at its time limit or on pre-emption) and
 * Ctrl-C stop it cleanly: the process exits with {@link ExitCode#INTERRUPTED} (130), and on the way out the writer
 * removes its unfinished files and keeps its finished parts, so that the same command resumes the work.
 *
 * <p>The signals are turned into {@code System.exit(130)} (the JVM would exit 143 for SIGTERM), which runs every
 * shutdown hook: this guard's, which aborts the writer (safe while the run thread is still writing: it waits for a
 * part being renamed), and the progress display's, which leaves its last line. {@code sun.misc.Signal} is the JDK's
 * supported way to do that (JEP 260 keeps it accessible). Closing the guard (after success or an ordinary failure)
 * restores the previous handlers and removes the hook, so in-process callers keep their own behaviour.
 */
final class InterruptGuard implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final Thread hook;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private InterruptGuard(EmbeddingWriter writer) {
        this.hook = Thread.ofPlatform().name("esm2j-interrupt").unstarted(() -> {
            writer.abort();
            System.err.println("esm2j: interrupted: unfinished work removed, finished parts kept; run the same command again to resume "
                    + "(exit code " + ExitCode.INTERRUPTED.code() + ")");
            System.err.flush();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, s -> System.exit(ExitCode.INTERRUPTED.code())));
            } catch (IllegalArgumentException e) {
                // Not on this platform, or the JVM runs with -Xrs: its default applies and the hook still cleans up.
            }
        }
    }

    static InterruptGuard install(EmbeddingWriter writer) {
        return new InterruptGuard(writer);
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // Already shutting down: the hook is running.
        }
    }
}
