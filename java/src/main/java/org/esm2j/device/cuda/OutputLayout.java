package org.esm2j.device.cuda;

import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cuda.ffi.esm2j_encode_request;
import org.esm2j.tokens.Alphabet;
import org.esm2j.tokens.TokenizedSequence;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each output sits in a slot's result buffer for one batch (float offsets, compact for the batch's size), and
 * the unpacking of those results into one {@link SequenceEmbedding} per sequence.
 */
record OutputLayout(long mean, long bos, long perToken, long logits, long floats) {
    /** Mean and bos take a row per sequence; per-token and logits a row per packed token (BOS and EOS included). */
    static OutputLayout of(long tokens, long sequences, OutputSpec spec, int hidden) {
        long at = 0;
        long mean = -1;
        long bos = -1;
        long perToken = -1;
        long logits = -1;
        if (spec.has(OutputKind.MEAN)) {
            mean = at;
            at += spec.floats(OutputKind.MEAN, sequences, hidden);
        }
        if (spec.has(OutputKind.BOS)) {
            bos = at;
            at += spec.floats(OutputKind.BOS, sequences, hidden);
        }
        if (spec.has(OutputKind.PER_TOK)) {
            perToken = at;
            at += spec.floats(OutputKind.PER_TOK, tokens, hidden);
        }
        if (spec.has(OutputKind.LOGITS)) {
            logits = at;
            at += spec.floats(OutputKind.LOGITS, tokens, hidden);
        }
        return new OutputLayout(mean, bos, perToken, logits, at);
    }

    long bytes() {
        return floats * Float.BYTES;
    }

    /**
     * Slices each sequence's results out of a slot's host buffer, laid out as esm2j_encode_request writes them:
     * mean and bos {@code [layer][sequence][E]}, per-token {@code [layer][token][E]} over every packed position,
     * logits {@code [token][V]}.
     */
    static List<SequenceEmbedding> unpack(MemorySegment host, List<TokenizedSequence> batch, OutputSpec spec, OutputLayout layout, int e) {
        int n = batch.size();
        int layers = spec.layerCount();
        long tokens = 0;
        for (TokenizedSequence t : batch) {
            tokens += t.length();
        }
        List<SequenceEmbedding> out = new ArrayList<>(n);
        long start = 0;
        for (int i = 0; i < n; i++) {
            TokenizedSequence t = batch.get(i);
            int residues = t.residues();
            float[][] mean = layout.mean() >= 0 ? new float[layers][] : null;
            float[][] bos = layout.bos() >= 0 ? new float[layers][] : null;
            float[][] perToken = layout.perToken() >= 0 ? new float[layers][] : null;
            for (int j = 0; j < layers; j++) {
                if (mean != null) {
                    mean[j] = floats(host, layout.mean() + ((long) j * n + i) * e, e);
                }
                if (bos != null) {
                    bos[j] = floats(host, layout.bos() + ((long) j * n + i) * e, e);
                }
                if (perToken != null) {
                    // Rows of the ABI are every position: residue rows are start+1 .. start+residues.
                    perToken[j] = floats(host, layout.perToken() + ((long) j * tokens + start + 1) * e, residues * e);
                }
            }
            float[] logits = layout.logits() >= 0 ? floats(host, layout.logits() + start * Alphabet.SIZE, t.length() * Alphabet.SIZE) : null;
            out.add(new SequenceEmbedding(t.index(), t.id(), residues, mean, bos, perToken, logits, null));
            start += t.length();
        }
        return out;
    }

    private static float[] floats(MemorySegment host, long offsetFloats, int count) {
        float[] a = new float[count];
        MemorySegment.copy(host, ValueLayout.JAVA_FLOAT, offsetFloats * Float.BYTES, a, 0, count);
        return a;
    }
}
