package org.esm2j.io.out;

import org.esm2j.model.SequenceEmbedding;

import java.util.Map;

/**
 * Receives embeddings in input order and publishes them atomically.
 *
 * <p>Until {@link #commit} succeeds nothing at the output path looks complete: data goes to
 * {@code .partial} files and the manifest (or the final file) appears last. {@link #abort} removes
 * what this writer created.
 */
public interface EmbeddingWriter extends AutoCloseable {

    /** Appends one sequence's outputs; called in increasing {@code index} order. */
    void write(SequenceEmbedding embedding);

    /** Finishes every file and publishes the dataset; {@code summary} is stored in the manifest. */
    void commit(Map<String, Object> summary);

    /** Removes every partial file; safe to call after a failure, or twice. */
    void abort();

    /** Aborts unless committed. */
    @Override
    default void close() {
        abort();
    }
}
