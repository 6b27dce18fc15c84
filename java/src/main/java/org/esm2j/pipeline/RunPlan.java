package org.esm2j.pipeline;

import org.esm2j.tokens.LongSequences;

/**
 * What a run would do, from {@code esm2j embed --dry-run}: counted by the same code that runs, without a device.
 *
 * @param shard            the slice of the input
 * @param records          FASTA records read (the whole input: every shard reads all of it)
 * @param kept             sequences kept in the whole input (after duplicate ids and empty records)
 * @param otherShards      kept sequences that belong to other shards
 * @param resumed          sequences of this shard already written by an interrupted run (skipped)
 * @param toCompute        sequences this run would compute
 * @param residues         their residues (after truncation)
 * @param tokens           the tokens the model runs (residues + 2 per sequence or window)
 * @param longest          longest sequence the model runs, in tokens
 * @param windows          windows (groups sorted by length and batched together)
 * @param batches          batches
 * @param tokenBudget      tokens per batch planned with
 * @param parts            resumable parts of this shard's output, finished ones included
 * @param partRows         sequences per part
 * @param outputBytes      estimated size of this shard's final dataset
 * @param skippedEmpty     records with no residues
 * @param skippedDuplicate records dropped by --duplicate-ids skip
 * @param truncated        sequences of this shard cut to --truncation-seq-length
 * @param longSequences    what happens to proteins longer than --truncation-seq-length
 * @param windowed         proteins to compute as windows ({@code --long-sequences window})
 * @param proteinWindows   their windows (each a sequence of its own; {@code tokens} counts their tokens)
 */
public record RunPlan(ShardSpec shard, long records, long kept, long otherShards, long resumed, long toCompute, long residues,
                      long tokens, long longest, long windows, long batches, long tokenBudget, long parts, long partRows,
                      long outputBytes, long skippedEmpty, long skippedDuplicate, long truncated,
                      LongSequences longSequences, long windowed, long proteinWindows) {
}
