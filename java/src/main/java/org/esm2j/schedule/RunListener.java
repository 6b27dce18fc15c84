package org.esm2j.schedule;

/** Hooks for progress displays; every method is called from the thread that did the work and must be quick. */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    /** Devices are ready and input is about to be read; {@code stats} stays live for the whole run. */
    default void started(RunStats stats) {
    }

    /** A device finished a batch. */
    default void batchFinished(String deviceId, Batch batch, long nanos) {
    }

    /** Called once, after the output is committed (success) or aborted. */
    default void finished(RunStats stats, boolean success) {
    }
}
