package org.esm2j.device.cpu;

/**
 * Self-attention of packed sequences: out[t, head h] = softmax(q_t K^T) V over the keys of t's own sequence,
 * one parallel task per (sequence, head).
 *
 * <p>Computed transposed, 48 queries (3 vectors' worth) at a time, so that both products run on
 * {@link MatrixKernel}'s 8×3 tiles whatever the head size (16–64) and the softmax needs no horizontal reduction:
 * <ol>
 *   <li>S^T = K·Q^T: keys are the kernel's rows (8 at a time), the 48 queries its three column strips, the head
 *       dimension its short k;</li>
 *   <li>softmax numerators down each column (per query, over the keys), all lane-wise, with a polynomial exp;</li>
 *   <li>O^T = V^T·P^T: head dimensions are the rows, queries the columns, keys the long k;</li>
 *   <li>out = O·diag(1/Σ): the normalisation touches d outputs per query instead of len probabilities.</li>
 * </ol>
 * K is packed [len rounded up to 8][d] and V^T [d rounded up to 8][len], zero-padded, once per task; a block's
 * Q^T [strip][d][L] with zero lanes past the sequence's end. Padding lanes and rows only ever meet each other:
 * a query's output depends on its own sequence alone, so it has the same bits packed or alone.
 */
public final class Attention {
    private static final int L = PackedLinear.LANES;
    private static final int ROWS = MatrixKernel.ROWS;
    private static final int STRIPS = MatrixKernel.MAX_STRIPS;
    private static final int BLOCK = STRIPS * L;

    private Attention() {
    }

    /** Per-thread buffers, grown to the longest sequence seen. */
    private static final class Scratch {
        float[] keys = new float[0];
        float[] valuesT = new float[0];
        float[] queriesT = new float[0];
        float[] scoresT = new float[0];
        float[] outT = new float[0];
        final float[] inverseSums = new float[BLOCK];

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
    public static void run(WorkerPool pool, float[] qkv, int e, int heads, int[] starts, int sequences, float[] out, float[][] maps) {
        int d = e / heads;
        pool.parallelFor(sequences * heads, task -> {
            int s = task / heads;
            head(qkv, e, d, task % heads, starts[s], starts[s + 1] - starts[s], out, maps == null ? null : maps[s]);
        });
    }

    static void head(float[] qkv, int e, int d, int head, int t0, int len, float[] out, float[] map) {
        int width = 3 * e;
        int keys8 = roundUp(len, ROWS);
        int d8 = roundUp(d, ROWS);
        Scratch sc = SCRATCH.get();
        float[] k = sc.keys = Scratch.atLeast(sc.keys, keys8 * d);
        float[] vt = sc.valuesT = Scratch.atLeast(sc.valuesT, d8 * len);
        float[] qt = sc.queriesT = Scratch.atLeast(sc.queriesT, STRIPS * d * L);
        float[] st = sc.scoresT = Scratch.atLeast(sc.scoresT, STRIPS * keys8 * L);
        float[] ot = sc.outT = Scratch.atLeast(sc.outT, d8 * BLOCK);
        float[] inv = sc.inverseSums;

        for (int j = 0; j < len; j++) {
            int row = (t0 + j) * width + head * d;
            System.arraycopy(qkv, row + e, k, j * d, d);
            for (int c = 0; c < d; c++) {
                vt[c * len + j] = qkv[row + 2 * e + c];
            }
        }
        java.util.Arrays.fill(k, len * d, keys8 * d, 0f);
        java.util.Arrays.fill(vt, d * len, d8 * len, 0f);

        int residues = len - 2;
        int keyStrip = keys8 * L;
        for (int i0 = 0; i0 < len; i0 += BLOCK) {
            int valid = Math.min(BLOCK, len - i0);
            int strips = (valid + L - 1) / L;
            for (int q = 0; q < strips * L; q++) {
                int row = (t0 + i0 + q) * width + head * d;
                int at = (q / L) * d * L + q % L;
                for (int c = 0; c < d; c++) {
                    qt[at + c * L] = q < valid ? qkv[row + c] : 0f;
                }
            }
            for (int j0 = 0; j0 < keys8; j0 += ROWS) {
                MatrixKernel.tile(k, j0 * d, d, d, qt, 0, d * L, strips, st, j0 * L, L, keyStrip);
            }
            for (int p = 0; p < strips; p++) {
                CpuKernels.softmaxColumns(st, p * keyStrip, len, inv, p * L);
            }
            for (int q = 0; q < valid; q++) {
                inv[q] = 1f / inv[q];
            }
            if (map != null) {
                for (int q = 0; q < valid; q++) {
                    int i = i0 + q;
                    if (i >= 1 && i <= residues) {
                        int from = (q / L) * keyStrip + q % L;
                        int to = head * residues * residues + (i - 1) * residues - 1;
                        for (int j = 1; j <= residues; j++) {
                            map[to + j] = st[from + j * L] * inv[q];
                        }
                    }
                }
            }
            for (int c0 = 0; c0 < d8; c0 += ROWS) {
                MatrixKernel.tile(vt, c0 * len, len, len, st, 0, keyStrip, strips, ot, c0 * BLOCK, BLOCK, L);
            }
            for (int q = 0; q < valid; q++) {
                int o = (t0 + i0 + q) * e + head * d;
                for (int c = 0; c < d; c++) {
                    out[o + c] = ot[c * BLOCK + q] * inv[q];
                }
            }
        }
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
