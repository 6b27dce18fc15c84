package org.esm2j.cpu;

import java.util.Arrays;

/**
 * Self-attention of packed sequences: out[t, head h] = softmax(q_t K^T) V over the keys of t's own sequence,
 * one parallel task per (sequence, head).
 *
 * <p>A task packs the head's keys as K^T in strips of L keys ([key strips][d][L]) and its values in strips of L
 * head dimensions ([value strips][len][L], zero-padded to a multiple of L), then walks the queries 8 at a time:
 * S = Q·K^T and O = P·V both run on {@link MatrixKernel}'s 8-row tiles (head dimensions 16–64 make P·V as wide
 * as one to four vectors), the softmax numerators are taken in place with a polynomial exp, and the 1/Σ
 * normalisation is applied to the d outputs instead of the len probabilities. A sequence's last queries (fewer
 * than 8) go through a zero-padded copy, which the kernel computes exactly as it would in place.
 *
 * <p>Everything a query's output depends on is its own sequence: packed or alone, the bits are the same.
 */
final class Attention {
    private static final int L = PackedLinear.LANES;
    private static final int ROWS = MatrixKernel.ROWS;
    private static final int STRIPS = MatrixKernel.MAX_STRIPS;

    private Attention() {
    }

    /** Per-thread buffers, grown to the longest sequence seen. */
    private static final class Scratch {
        float[] keys = new float[0];
        float[] values = new float[0];
        float[] scores = new float[0];
        float[] out = new float[0];
        float[] queries = new float[0];
        final float[] inverseSums = new float[ROWS];

        static float[] atLeast(float[] a, int size) {
            return a.length >= size ? a : new float[Math.max(size, a.length * 3 / 2)];
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * @param qkv    [tokens, 3E]: q (already scaled and rotated), k (rotated), v for every packed token
     * @param out    [tokens, E]: the heads' outputs side by side
     * @param starts sequence s covers tokens starts[s] .. starts[s+1]-1
     * @param maps   when not null, maps[s] receives the probabilities between residues (BOS and EOS rows and
     *               columns dropped) as [heads][r][r], for the contact head
     */
    static void run(WorkerPool pool, float[] qkv, int e, int heads, int[] starts, int sequences, float[] out, float[][] maps) {
        int d = e / heads;
        pool.parallelFor(sequences * heads, task -> {
            int s = task / heads;
            head(qkv, e, d, task % heads, starts[s], starts[s + 1] - starts[s], out, maps == null ? null : maps[s]);
        });
    }

    static void head(float[] qkv, int e, int d, int head, int t0, int len, float[] out, float[] map) {
        int width = 3 * e;
        int keyStrips = (len + L - 1) / L;
        int keysPadded = keyStrips * L;
        int valueStrips = (d + L - 1) / L;
        int dPadded = valueStrips * L;
        Scratch sc = SCRATCH.get();
        float[] kt = sc.keys = Scratch.atLeast(sc.keys, keyStrips * d * L);
        float[] v = sc.values = Scratch.atLeast(sc.values, valueStrips * len * L);
        float[] scores = sc.scores = Scratch.atLeast(sc.scores, ROWS * keysPadded);
        float[] o = sc.out = Scratch.atLeast(sc.out, ROWS * dPadded);
        float[] inv = sc.inverseSums;

        int kCol = e + head * d;
        int vCol = 2 * e + head * d;
        for (int j = 0; j < keysPadded; j++) {
            int base = (j / L) * d * L + j % L;
            int row = (t0 + j) * width;
            for (int c = 0; c < d; c++) {
                kt[base + c * L] = j < len ? qkv[row + kCol + c] : 0f;
            }
        }
        for (int j = 0; j < len; j++) {
            int row = (t0 + j) * width + vCol;
            for (int c = 0; c < dPadded; c++) {
                v[(c / L) * len * L + j * L + c % L] = c < d ? qkv[row + c] : 0f;
            }
        }

        int residues = len - 2;
        for (int i0 = 0; i0 < len; i0 += ROWS) {
            int valid = Math.min(ROWS, len - i0);
            float[] q = qkv;
            int qOff = (t0 + i0) * width + head * d;
            int qStride = width;
            if (valid < ROWS) {
                q = sc.queries = Scratch.atLeast(sc.queries, ROWS * d);
                for (int r = 0; r < valid; r++) {
                    System.arraycopy(qkv, qOff + r * width, q, r * d, d);
                }
                Arrays.fill(q, valid * d, ROWS * d, 0f);
                qOff = 0;
                qStride = d;
            }
            for (int p = 0; p < keyStrips; p += STRIPS) {
                MatrixKernel.tile(q, qOff, qStride, d, kt, p * d * L, Math.min(STRIPS, keyStrips - p), scores, p * L, keysPadded);
            }
            for (int r = 0; r < valid; r++) {
                inv[r] = 1f / CpuKernels.expMinusMax(scores, r * keysPadded, len);
                int i = i0 + r;
                if (map != null && i >= 1 && i <= residues) {
                    CpuKernels.scaledCopy(scores, r * keysPadded + 1, map, head * residues * residues + (i - 1) * residues, residues, inv[r]);
                }
            }
            for (int p = 0; p < valueStrips; p += STRIPS) {
                MatrixKernel.tile(scores, 0, keysPadded, len, v, p * len * L, Math.min(STRIPS, valueStrips - p), o, p * L, dPadded);
            }
            for (int r = 0; r < valid; r++) {
                CpuKernels.scaledCopy(o, r * dPadded, out, (t0 + i0 + r) * e + head * d, d, inv[r]);
            }
        }
    }
}
