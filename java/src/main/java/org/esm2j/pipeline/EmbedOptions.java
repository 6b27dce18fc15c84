package org.esm2j.pipeline;

import org.esm2j.device.OutputSpec;
import org.esm2j.input.DuplicateIds;
import org.esm2j.input.InvalidRecords;
import org.esm2j.input.RecordKey;

/**
 * How to run one embedding job (the options of {@code esm2j embed} that are not about devices or output files).
 *
 * @param input             FASTA path, or {@code -} for standard input
 * @param spec              outputs and layers
 * @param truncation        max residues per sequence, 0 = no limit
 * @param maxBatchSequences cap on sequences per batch
 * @param duplicates        policy for repeated ids
 * @param windowBytes       results held in memory before writing; bounds memory for any input size
 * @param shard             the slice of the input this run embeds ({@link ShardSpec#ALL} for all of it)
 * @param key               what names each record in the output: its id (first word), or its whole header for the
 *                          {@code .pt} files of fair-esm's esm-extract
 * @param invalidRecords    policy for records with characters that are not residue letters
 */
public record EmbedOptions(String input, OutputSpec spec, int truncation, int maxBatchSequences,
                           DuplicateIds duplicates, long windowBytes, ShardSpec shard, RecordKey key,
                           InvalidRecords invalidRecords) {

    /** Records named by their id; records with invalid characters reported and skipped (the default). */
    public EmbedOptions(String input, OutputSpec spec, int truncation, int maxBatchSequences, DuplicateIds duplicates, long windowBytes,
                        ShardSpec shard) {
        this(input, spec, truncation, maxBatchSequences, duplicates, windowBytes, shard, RecordKey.ID, InvalidRecords.SKIP);
    }

    /** Records named by {@code key}; records with invalid characters reported and skipped. */
    public EmbedOptions(String input, OutputSpec spec, int truncation, int maxBatchSequences, DuplicateIds duplicates, long windowBytes,
                        ShardSpec shard, RecordKey key) {
        this(input, spec, truncation, maxBatchSequences, duplicates, windowBytes, shard, key, InvalidRecords.SKIP);
    }

    /** The whole input. */
    public EmbedOptions(String input, OutputSpec spec, int truncation, int maxBatchSequences, DuplicateIds duplicates, long windowBytes) {
        this(input, spec, truncation, maxBatchSequences, duplicates, windowBytes, ShardSpec.ALL);
    }

    /** Up to this many sequences are sorted and batched together. */
    public static final int MAX_WINDOW_SEQUENCES = 50_000;

    /**
     * Result bytes per window: a twelfth of the heap (two windows are held, one computed while the other is
     * written, and the devices' own buffers and the input need room too), between 16 and 512 MB.
     */
    public static long defaultWindowBytes() {
        return Math.max(16L << 20, Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 12));
    }
}
