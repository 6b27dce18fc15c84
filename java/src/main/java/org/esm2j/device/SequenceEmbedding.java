package org.esm2j.device;

/**
 * What the model gives for one sequence, in float32. Arrays are null for kinds not asked for.
 *
 * @param index    input position (fixes the output order)
 * @param id       FASTA id
 * @param residues n, residue positions after truncation
 * @param mean     [layer slot][E]
 * @param bos      [layer slot][E]
 * @param perToken [layer slot][n * E], residue positions 1..n row-major
 * @param logits   [(n + 2) * vocab], every position including BOS and EOS
 * @param contacts [n * n]
 */
public record SequenceEmbedding(long index, String id, int residues,
                                float[][] mean, float[][] bos, float[][] perToken,
                                float[] logits, float[] contacts) {
}
