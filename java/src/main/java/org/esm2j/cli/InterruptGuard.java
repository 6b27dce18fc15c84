package org.esm2j.cli;

import org.esm2j.ExitCode;
import org.esm2j.io.out.EmbeddingWriter;

/**
 * While a run writes, SIGTERM (what SLURM sends before killing a job at its time limit or on pre-emption) and
 * Ctrl-C stop it cleanly: the writer removes its unfinished files and keeps finished parts, and the process exits
 * with {@link ExitCode#INTERRUPTED} (130) at once, so that the same command resumes the work.
 *
 * <p>The JVM answers those signals by running shutdown hooks while the run thread keeps going; the writer's
 * {@code abort} is safe against that (it waits for a part being renamed), and halting right after it means nothing
 * else can be written. Closing the guard (after success or an ordinary failure) removes the hook, so a normal exit
 * keeps its own code.
 */
final class InterruptGuard implements AutoCloseable {
    private final Thread hook;

    private InterruptGuard(EmbeddingWriter writer) {
        this.hook = Thread.ofPlatform().name("esm2j-interrupt").unstarted(() -> {
            writer.abort();
            System.err.println("esm2j: interrupted (SIGTERM or Ctrl-C): unfinished work removed, finished parts kept; "
                    + "run the same command again to resume (exit code " + ExitCode.INTERRUPTED.code() + ")");
            System.err.flush();
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
        });
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static InterruptGuard install(EmbeddingWriter writer) {
        return new InterruptGuard(writer);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // Already shutting down: the hook is running and ends the process.
        }
    }
}
