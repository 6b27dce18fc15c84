package org.esm2j;

/**
 * The parameters a user of esm2j chooses, by their library names (those of {@code api/Esm2j}'s builder and of
 * {@code pipeline/EmbedOptions}). Library messages name these; the command line translates each to its flag.
 */
public enum Parameter {
    MODEL("model"),
    DEVICE("device"),
    DTYPE("dtype"),
    THREADS("threads"),
    TRUNCATION("truncation"),
    TOKENS_PER_BATCH("tokensPerBatch"),
    MAX_BATCH_SEQUENCES("maxBatchSequences"),
    /** Which outputs: mean, per_tok, bos, logits, contacts. */
    KINDS("kinds"),
    /** Representation layers of the per-layer outputs. */
    LAYERS("layers"),
    SHARD("shard"),
    /** Rows per npy part file. */
    PART_ROWS("partRows"),
    /** The progress display. */
    PROGRESS("progress"),
    /** The shard directories that merge joins. */
    SHARDS("shards");

    private final String libraryName;

    Parameter(String libraryName) {
        this.libraryName = libraryName;
    }

    public String libraryName() {
        return libraryName;
    }
}
