package org.esm2j.device.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU encoder's numeric kernels, in FP32 with the Vector API: the linear layer (around
 * {@link MatrixKernel}), GELU, LayerNorm, exp and the small vector helpers of attention and pooling.
 *
 * <p>Every kernel computes each output element with the same sequence of operations whatever the
 * batch around it (row position, tile, thread), so a sequence's results are bit-identical whether
 * it is encoded alone or packed with others.
 */
public final class CpuKernels {
    private static final VectorSpecies<Float> S = PackedLinear.SPECIES;
    private static final int L = PackedLinear.LANES;
    /** A task's rows of x should fill about a quarter of a core's L2 (2 MB here): 512 KB. */
    private static final int TASK_INPUT_BYTES = 1 << 19;
    private static final int TILE_WIDTH = MatrixKernel.MAX_STRIPS * L;

    private CpuKernels() {
    }

    /** What the matrix kernel does with x W^T + b before writing it. */
    public enum Epilogue {
        /** y = x W^T + b */
        STORE,
        /** y = gelu(x W^T + b), erf form */
        GELU,
        /** y += x W^T + b (residual connection) */
        ADD
    }

    /** Per-thread buffers of the matrix product: the output tile and a padded copy of a batch's last rows. */
    private static final class LinearScratch {
        final float[] tile = new float[MatrixKernel.ROWS * TILE_WIDTH];
        float[] tailRows = new float[0];

        float[] tailRows(int size) {
            if (tailRows.length < size) {
                tailRows = new float[size];
            }
            return tailRows;
        }
    }

    private static final ThreadLocal<LinearScratch> LINEAR_SCRATCH = ThreadLocal.withInitial(LinearScratch::new);

    /**
     * y[rows, N] (=, gelu, +=) x[rows, K] W^T + b.
     *
     * <p>Tasks of 64–256 rows (as many as keep the task's rows of x within 512 KB, so they stay in L2 while the task
     * sweeps them for each 8-row tile) × 3 strips of L columns are spread over the pool, consecutive tasks going
     * down the rows of one strip block: the two threads then write different rows of y. Going across the strips
     * of one row block instead, they wrote the same rows side by side, and since Java arrays are not aligned to
     * cache lines every row's boundary line was shared: the false sharing cost up to 15% at K = 480 (measured,
     * 2 threads). Each task runs {@link MatrixKernel}'s 8-row tiles into a per-thread tile buffer, then applies the
     * bias and the epilogue while the tile is in L1. The batch's last rows (fewer than 8) are copied into a
     * zero-padded 8-row block first: the kernel computes every row the same way, so their results are the bits
     * they would get in a full tile.
     */
    public static void linear(WorkerPool pool, float[] x, int rows, PackedLinear w, float[] y, Epilogue epilogue) {
        int k = w.in;
        int rowBlock = Math.clamp(TASK_INPUT_BYTES / (4 * k) / MatrixKernel.ROWS * MatrixKernel.ROWS, 64, 256);
        int rowBlocks = (rows + rowBlock - 1) / rowBlock;
        int stripBlocks = (w.panels + MatrixKernel.MAX_STRIPS - 1) / MatrixKernel.MAX_STRIPS;
        pool.parallelFor(rowBlocks * stripBlocks, task -> {
            int r0 = task % rowBlocks * rowBlock;
            int r1 = Math.min(rows, r0 + rowBlock);
            int p0 = task / rowBlocks * MatrixKernel.MAX_STRIPS;
            int strips = Math.min(MatrixKernel.MAX_STRIPS, w.panels - p0);
            LinearScratch scratch = LINEAR_SCRATCH.get();
            float[] tile = scratch.tile;
            for (int r = r0; r < r1; r += MatrixKernel.ROWS) {
                int valid = Math.min(MatrixKernel.ROWS, r1 - r);
                if (valid == MatrixKernel.ROWS) {
                    MatrixKernel.tile(x, r * k, k, k, w.packed, p0 * k * L, k * L, strips, tile, 0, TILE_WIDTH, L);
                } else {
                    float[] a = scratch.tailRows(MatrixKernel.ROWS * k);
                    System.arraycopy(x, r * k, a, 0, valid * k);
                    java.util.Arrays.fill(a, valid * k, MatrixKernel.ROWS * k, 0f);
                    MatrixKernel.tile(a, 0, k, k, w.packed, p0 * k * L, k * L, strips, tile, 0, TILE_WIDTH, L);
                }
                writeTile(tile, valid, strips, w, p0, y, r, epilogue);
            }
        });
    }

    /**
     * Adds the bias to the first {@code rows} rows of a tile and writes them to y through the epilogue. Masked
     * vector accesses cost as much as the GELU around them (measured), so only a strip that runs past N uses one.
     */
    private static void writeTile(float[] tile, int rows, int strips, PackedLinear w, int p0, float[] y, int row0, Epilogue epilogue) {
        int n = w.out;
        int col0 = p0 * L;
        if (w.bias != null) {
            for (int p = 0; p < strips; p++) {
                int col = col0 + p * L;
                FloatVector bias = col + L <= n ? FloatVector.fromArray(S, w.bias, col)
                        : FloatVector.fromArray(S, w.bias, col, S.indexInRange(col, n));
                for (int r = 0; r < rows; r++) {
                    int t = r * TILE_WIDTH + p * L;
                    FloatVector.fromArray(S, tile, t).add(bias).intoArray(tile, t);
                }
            }
        }
        if (epilogue == Epilogue.GELU) {
            gelu(tile, 0, rows * TILE_WIDTH);
        }
        for (int p = 0; p < strips; p++) {
            int col = col0 + p * L;
            boolean full = col + L <= n;
            VectorMask<Float> m = full ? null : S.indexInRange(col, n);
            for (int r = 0; r < rows; r++) {
                FloatVector v = FloatVector.fromArray(S, tile, r * TILE_WIDTH + p * L);
                int at = (row0 + r) * n + col;
                if (full) {
                    if (epilogue == Epilogue.ADD) {
                        v = FloatVector.fromArray(S, y, at).add(v);
                    }
                    v.intoArray(y, at);
                } else {
                    if (epilogue == Epilogue.ADD) {
                        v = FloatVector.fromArray(S, y, at, m).add(v);
                    }
                    v.intoArray(y, at, m);
                }
            }
        }
    }

    // Vector code lives in the loops of array-level methods: a helper taking or returning a FloatVector that C2
    // declines to inline (it does, for anything the size of exp or erf) boxes the vector on every call.

    // ---- GELU, erf form: 0.5 x (1 + erf(x / sqrt 2)) ------------------------------------------------

    private static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));
    // erf(x) ~ x P(x^2) / Q(x^2) on [-4, 4] (beyond that erf is +-1 in float): the rational approximation
    // used by Eigen and XLA for float erf; max abs error 4.2e-7 (measured against math.erf).
    private static final float A1 = -1.60960333262415e-02f, A3 = -2.95459980854025e-03f, A5 = -7.34990630326855e-04f,
            A7 = -5.69250639462346e-05f, A9 = -2.10102402082508e-06f, A11 = 2.77068142495902e-08f, A13 = -2.72614225801306e-10f;
    private static final float B0 = -1.42647390514189e-02f, B2 = -7.37332916720468e-03f, B4 = -1.68282697438203e-03f,
            B6 = -2.13374055278905e-04f, B8 = -1.45660718464996e-05f;

    /** a[off..off+n) = gelu(a[off..off+n)), in place; n is a multiple of the vector length (no masked tail). */
    static void gelu(float[] a, int off, int n) {
        if (n % L != 0) {
            throw new IllegalArgumentException("gelu works on whole vectors: n = " + n + " is not a multiple of " + L);
        }
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, off + i);
            FloatVector c = x.mul(INV_SQRT2).max(-4f).min(4f);
            FloatVector c2 = c.mul(c);
            FloatVector p = c2.fma(A13, A11).fma(c2, FloatVector.broadcast(S, A9)).fma(c2, FloatVector.broadcast(S, A7))
                    .fma(c2, FloatVector.broadcast(S, A5)).fma(c2, FloatVector.broadcast(S, A3)).fma(c2, FloatVector.broadcast(S, A1));
            FloatVector q = c2.fma(B8, B6).fma(c2, FloatVector.broadcast(S, B4)).fma(c2, FloatVector.broadcast(S, B2))
                    .fma(c2, FloatVector.broadcast(S, B0));
            FloatVector erf = c.mul(p).div(q);
            x.mul(0.5f).mul(erf.add(1f)).intoArray(a, off + i);
        }
    }

    // ---- LayerNorm -------------------------------------------------------------------------------

    /** y[r] = (x[r] - mean) / sqrt(var + eps) * gamma + beta for each row of width {@code e} (biased variance). */
    public static void layerNorm(WorkerPool pool, float[] x, float[] y, int rows, int e, float[] gamma, float[] beta, float eps) {
        int blocks = (rows + 15) / 16;
        pool.parallelFor(blocks, blk -> {
            int end = Math.min(rows, blk * 16 + 16);
            for (int r = blk * 16; r < end; r++) {
                layerNormRow(x, y, r * e, e, gamma, beta, eps);
            }
        });
    }

    static void layerNormRow(float[] x, float[] y, int off, int e, float[] gamma, float[] beta, float eps) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= e; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        float sum = sumLanes(acc);
        for (; i < e; i++) {
            sum += x[off + i];
        }
        float mean = sum / e;
        FloatVector meanV = FloatVector.broadcast(S, mean);
        acc = FloatVector.zero(S);
        i = 0;
        for (; i + L <= e; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(meanV);
            acc = d.fma(d, acc);
        }
        float sq = sumLanes(acc);
        for (; i < e; i++) {
            float d = x[off + i] - mean;
            sq += d * d;
        }
        float inv = (float) (1.0 / Math.sqrt(sq / e + eps));
        FloatVector invV = FloatVector.broadcast(S, inv);
        i = 0;
        for (; i + L <= e; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(meanV).mul(invV);
            d.fma(FloatVector.fromArray(S, gamma, i), FloatVector.fromArray(S, beta, i)).intoArray(y, off + i);
        }
        for (; i < e; i++) {
            y[off + i] = (x[off + i] - mean) * inv * gamma[i] + beta[i];
        }
    }

    // ---- small vector helpers used by attention and pooling ---------------------------------------

    /**
     * The sum of a vector's lanes in a fixed order (pairwise, halving the width). {@code reduceLanes(ADD)} leaves
     * the order unspecified, and the JIT's tiers do use different orders: a kernel that ran interpreted for the
     * first batch and compiled for the next would give a sequence different bits depending on when it came.
     */
    static float sumLanes(FloatVector v) {
        float[] lanes = new float[L];
        v.intoArray(lanes, 0);
        for (int width = L / 2; width > 0; width /= 2) {
            for (int i = 0; i < width; i++) {
                lanes[i] += lanes[i + width];
            }
        }
        return lanes[0];
    }

    /** dst[0..n) += s * src[srcOff..srcOff+n). */
    static void axpy(float s, float[] src, int srcOff, float[] dst, int dstOff, int n) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, src, srcOff + i).fma(sv, FloatVector.fromArray(S, dst, dstOff + i)).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = Math.fma(src[srcOff + i], s, dst[dstOff + i]);
        }
    }

    /** a[off..off+n) *= s. */
    static void scale(float[] a, int off, int n, float s) {
        int i = 0;
        FloatVector sv = FloatVector.broadcast(S, s);
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, a, off + i).mul(sv).intoArray(a, off + i);
        }
        for (; i < n; i++) {
            a[off + i] *= s;
        }
    }

    // ---- softmax ---------------------------------------------------------------------------------

    private static final float LOG2E = 1.44269504088896341f;
    // ln 2 split so that k·LN2_HI is exact for |k| < 512 (Cody–Waite reduction).
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds to an integer held in the low mantissa bits. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final float EXP_MIN = -87.33654f; // exp(EXP_MIN) = 2^-126, the smallest normal float
    // e^r ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2: Cephes' expf polynomial.
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f,
            E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    /**
     * Softmax numerators down the columns of an [n, L] block (attention scores with keys as rows and L queries as
     * columns): s[j, q] = e^(s[j, q] - max_j s[·, q]), and sums[q] = Σ_j of them. Column-wise means no horizontal
     * reduction at all: every max, exp and sum is lane-wise, so the result cannot depend on the JIT's choices.
     *
     * <p>e^x for x ≤ 0 (flushed to 2^-126 below -87.3) within 2 ulp: x = k·ln2 + r, e^x = 2^k · e^r with the
     * exponent built from the integer bits, all in FMAs, several times cheaper than the Vector API's {@code EXP}
     * (a call that spills every live register).
     */
    static void softmaxColumns(float[] s, int off, int n, float[] sums, int sumsOff) {
        FloatVector max0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector max1 = max0;
        int j = 0;
        for (; j + 2 <= n; j += 2) { // two chains: the max's latency, not its throughput, would bound one
            max0 = max0.max(FloatVector.fromArray(S, s, off + j * L));
            max1 = max1.max(FloatVector.fromArray(S, s, off + (j + 1) * L));
        }
        if (j < n) {
            max0 = max0.max(FloatVector.fromArray(S, s, off + j * L));
        }
        FloatVector max = max0.max(max1);
        FloatVector sum = FloatVector.zero(S);
        for (j = 0; j < n; j++) {
            int at = off + j * L;
            FloatVector x = FloatVector.fromArray(S, s, at).sub(max).max(EXP_MIN);
            FloatVector t = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND_MAGIC));
            FloatVector k = t.sub(ROUND_MAGIC);
            FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), x);
            r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = r.fma(E0, E1).fma(r, FloatVector.broadcast(S, E2)).fma(r, FloatVector.broadcast(S, E3))
                    .fma(r, FloatVector.broadcast(S, E4)).fma(r, FloatVector.broadcast(S, E5));
            FloatVector er = p.fma(r.mul(r), r).add(1f);
            FloatVector scale = t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = er.mul(scale);
            e.intoArray(s, at);
            sum = sum.add(e);
        }
        sum.intoArray(sums, sumsOff);
    }
}
