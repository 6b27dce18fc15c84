package org.esm2j.pipeline;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.device.OutputSpec;
import org.esm2j.input.DuplicateIds;
import org.esm2j.input.InvalidRecords;
import org.esm2j.input.RecordKey;
import org.esm2j.tokens.LongSequences;
import org.esm2j.tokens.SequenceWindows;

/**
 * How to run one embedding job (the options of {@code esm2j embed} that are not about devices or output files).
 *
 * @param input             FASTA path, or {@code -} for standard input
 * @param spec              outputs and layers
 * @param truncation        max residues per sequence, 0 = no limit (with {@link LongSequences#WINDOW}: residues per window)
 * @param maxBatchSequences cap on sequences per batch
 * @param duplicates        policy for repeated ids
 * @param windowBytes       results held in memory before writing; bounds memory for any input size
 * @param shard             the slice of the input this run embeds ({@link ShardSpec#ALL} for all of it)
 * @param key               what names each record in the output: its id (first word), or its whole header for the
 *                          {@code .pt} files of fair-esm's esm-extract
 * @param invalidRecords    policy for records with characters that are not residue letters
 * @param longSequences     what happens to a protein longer than {@code truncation}
 * @param windowStride      residues between window starts with {@link LongSequences#WINDOW}; 0 = half a window
 */
public record EmbedOptions(String input, OutputSpec spec, int truncation, int maxBatchSequences,
                           DuplicateIds duplicates, long windowBytes, ShardSpec shard, RecordKey key,
                           InvalidRecords invalidRecords, LongSequences longSequences, int windowStride) {

    public EmbedOptions {
        check(longSequences, truncation, windowStride);
    }

    /** Whether the long-sequence options go together (before anything is loaded: the command line checks them first). */
    public static void check(LongSequences longSequences, int truncation, int windowStride) {
        if (windowStride < 0) {
            throw new InvalidParameterException(Parameter.WINDOW_STRIDE, "{windowStride} must be >= 1 (or 0 for half a window), got " + windowStride);
        }
        if (windowStride > 0 && longSequences != LongSequences.WINDOW) {
            throw new InvalidParameterException(Parameter.WINDOW_STRIDE, "{windowStride} applies to {longSequences} window only (it is "
                    + longSequences.cliName() + " here)");
        }
        if (longSequences == LongSequences.WINDOW) {
            windowsFor(truncation, windowStride); // checks the window length and stride
        }
    }

    /** Records named by their id, invalid ones skipped, long sequences truncated (fair-esm's behaviour). */
    public EmbedOptions(String input, OutputSpec spec, int truncation, int maxBatchSequences, DuplicateIds duplicates, long windowBytes,
                        ShardSpec shard) {
        this(input, spec, truncation, maxBatchSequences, duplicates, windowBytes, shard, RecordKey.ID, InvalidRecords.SKIP);
    }

    /** Records named by {@code key}; invalid records skipped, long sequences truncated. */
    public EmbedOptions(String input, OutputSpec spec, int truncation, int maxBatchSequences, DuplicateIds duplicates, long windowBytes,
                        ShardSpec shard, RecordKey key) {
        this(input, spec, truncation, maxBatchSequences, duplicates, windowBytes, shard, key, InvalidRecords.SKIP);
    }

    /** Long sequences truncated. */
    public EmbedOptions(String input, OutputSpec spec, int truncation, int maxBatchSequences, DuplicateIds duplicates, long windowBytes,
                        ShardSpec shard, RecordKey key, InvalidRecords invalidRecords) {
        this(input, spec, truncation, maxBatchSequences, duplicates, windowBytes, shard, key, invalidRecords, LongSequences.TRUNCATE, 0);
    }

    /** Records named by their id, invalid ones skipped; long sequences as {@code longSequences} says. */
    public EmbedOptions(String input, OutputSpec spec, int truncation, int maxBatchSequences, DuplicateIds duplicates, long windowBytes,
                        ShardSpec shard, LongSequences longSequences, int windowStride) {
        this(input, spec, truncation, maxBatchSequences, duplicates, windowBytes, shard, RecordKey.ID, InvalidRecords.SKIP, longSequences,
                windowStride);
    }

    /** The whole input. */
    public EmbedOptions(String input, OutputSpec spec, int truncation, int maxBatchSequences, DuplicateIds duplicates, long windowBytes) {
        this(input, spec, truncation, maxBatchSequences, duplicates, windowBytes, ShardSpec.ALL);
    }

    /** These options with another long-sequence policy. */
    public EmbedOptions withLongSequences(LongSequences policy, int stride) {
        return new EmbedOptions(input, spec, truncation, maxBatchSequences, duplicates, windowBytes, shard, key, invalidRecords, policy, stride);
    }

    /** How long proteins are cut with {@link LongSequences#WINDOW}; null with the other policies. */
    public SequenceWindows windows() {
        return longSequences == LongSequences.WINDOW ? windowsFor(truncation, windowStride) : null;
    }

    /** Windows of {@code length} residues, {@code stride} apart (0: half a window). */
    public static SequenceWindows windowsFor(int length, int stride) {
        return stride == 0 ? SequenceWindows.halfOverlapping(length) : new SequenceWindows(length, stride);
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
