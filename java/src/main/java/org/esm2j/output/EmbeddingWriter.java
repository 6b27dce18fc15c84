package org.esm2j.output;

import org.esm2j.device.SequenceEmbedding;

import java.util.Map;

/**
 * Receives embeddings in input order and publishes them atomically.
 *
 * <p>Until {@link #commit} succeeds nothing at the output path looks complete: data goes to
 * {@code .partial} files and the manifest (or the final file) appears last. {@link #abort} removes
 * what this writer created.
 */
public interface EmbeddingWriter extends AutoCloseable {

    /**
     * Sequences already written by an earlier, interrupted run of the same job: the run skips that many (without
     * computing them) and writes from the next one on. 0 unless resuming.
     */
    default long resumedRows() {
        return 0;
    }

    /**
     * Checks that resumed row {@code row} (called for 0 .. resumedRows-1, in order) still has the id the earlier run
     * wrote, so that a changed input is refused rather than mixed in.
     */
    default void checkResumed(long row, String id) {
    }

    /**
     * Sequences per durable part: the run ends its windows at multiples of it, so that a resumed run batches
     * exactly as an uninterrupted one would. {@code Long.MAX_VALUE} for writers that are not resumable.
     */
    default long partRows() {
        return Long.MAX_VALUE;
    }

    /** True when the finished output of this very job is already there: nothing to compute or write. */
    default boolean complete() {
        return false;
    }

    /** Appends one sequence's outputs; called in increasing {@code index} order. */
    void write(SequenceEmbedding embedding);

    /** Finishes every file and publishes the dataset; {@code summary} is stored in the manifest. */
    void commit(Map<String, Object> summary);

    /**
     * Removes every partial file (a resumable writer keeps its finished parts); safe to call after a failure, from
     * a shutdown hook while another thread writes, or twice.
     */
    void abort();

    /** Aborts unless committed. */
    @Override
    default void close() {
        abort();
    }
}
