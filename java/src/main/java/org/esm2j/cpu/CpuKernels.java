package org.esm2j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU encoder's numeric kernels, in FP32 with the Vector API.
 *
 * <p>Every kernel computes each output element with the same sequence of operations whatever the
 * batch around it (row position, tile, thread), so a sequence's results are bit-identical whether
 * it is encoded alone or packed with others.
 */
final class CpuKernels {
    private static final VectorSpecies<Float> S = PackedLinear.SPECIES;
    private static final int L = PackedLinear.LANES;
    private static final int ROW_BLOCK = 64;
    private static final int PANEL_BLOCK = 3;

    private CpuKernels() {
    }

    /** What the matrix kernel does with x W^T + b before writing it. */
    enum Epilogue {
        /** y = x W^T + b */
        STORE,
        /** y = gelu(x W^T + b), erf form */
        GELU,
        /** y += x W^T + b (residual connection) */
        ADD
    }

    /**
     * y[rows, N] (=, gelu, +=) x[rows, K] W^T + b.
     *
     * <p>Register-blocked: a micro-kernel keeps 4 rows × 3 vectors of outputs in registers and streams K,
     * broadcasting one x element and loading three packed weight vectors per step; tiles of 64 rows × 3
     * strips are spread over the pool.
     */
    static void linear(WorkerPool pool, float[] x, int rows, PackedLinear w, float[] y, Epilogue epilogue) {
        int rowBlocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        int panelBlocks = (w.panels + PANEL_BLOCK - 1) / PANEL_BLOCK;
        pool.parallelFor(rowBlocks * panelBlocks, tile -> {
            int rb = tile / panelBlocks;
            int pb = tile % panelBlocks;
            int r0 = rb * ROW_BLOCK;
            int r1 = Math.min(rows, r0 + ROW_BLOCK);
            int p0 = pb * PANEL_BLOCK;
            int p1 = Math.min(w.panels, p0 + PANEL_BLOCK);
            int r = r0;
            for (; r + 4 <= r1; r += 4) {
                if (p1 - p0 == 3) {
                    kernel4x3(x, r, w, p0, y, epilogue);
                } else {
                    for (int p = p0; p < p1; p++) {
                        kernel4x1(x, r, w, p, y, epilogue);
                    }
                }
            }
            for (; r < r1; r++) {
                for (int p = p0; p < p1; p++) {
                    kernel1x1(x, r, w, p, y, epilogue);
                }
            }
        });
    }

    private static void kernel4x3(float[] x, int row, PackedLinear w, int panel, float[] y, Epilogue epilogue) {
        final int k = w.in;
        final float[] b = w.packed;
        final int b0 = panel * k * L;
        final int b1 = b0 + k * L;
        final int b2 = b1 + k * L;
        final int a0 = row * k;
        final int a1 = a0 + k;
        final int a2 = a1 + k;
        final int a3 = a2 + k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = kk * L;
            FloatVector w0 = FloatVector.fromArray(S, b, b0 + o);
            FloatVector w1 = FloatVector.fromArray(S, b, b1 + o);
            FloatVector w2 = FloatVector.fromArray(S, b, b2 + o);
            FloatVector v = FloatVector.broadcast(S, x[a0 + kk]);
            c00 = w0.fma(v, c00);
            c01 = w1.fma(v, c01);
            c02 = w2.fma(v, c02);
            v = FloatVector.broadcast(S, x[a1 + kk]);
            c10 = w0.fma(v, c10);
            c11 = w1.fma(v, c11);
            c12 = w2.fma(v, c12);
            v = FloatVector.broadcast(S, x[a2 + kk]);
            c20 = w0.fma(v, c20);
            c21 = w1.fma(v, c21);
            c22 = w2.fma(v, c22);
            v = FloatVector.broadcast(S, x[a3 + kk]);
            c30 = w0.fma(v, c30);
            c31 = w1.fma(v, c31);
            c32 = w2.fma(v, c32);
        }
        write(c00, y, row, panel, w, epilogue);
        write(c01, y, row, panel + 1, w, epilogue);
        write(c02, y, row, panel + 2, w, epilogue);
        write(c10, y, row + 1, panel, w, epilogue);
        write(c11, y, row + 1, panel + 1, w, epilogue);
        write(c12, y, row + 1, panel + 2, w, epilogue);
        write(c20, y, row + 2, panel, w, epilogue);
        write(c21, y, row + 2, panel + 1, w, epilogue);
        write(c22, y, row + 2, panel + 2, w, epilogue);
        write(c30, y, row + 3, panel, w, epilogue);
        write(c31, y, row + 3, panel + 1, w, epilogue);
        write(c32, y, row + 3, panel + 2, w, epilogue);
    }

    private static void kernel4x1(float[] x, int row, PackedLinear w, int panel, float[] y, Epilogue epilogue) {
        final int k = w.in;
        final float[] b = w.packed;
        final int b0 = panel * k * L;
        final int a0 = row * k;
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            FloatVector w0 = FloatVector.fromArray(S, b, b0 + kk * L);
            c0 = w0.fma(FloatVector.broadcast(S, x[a0 + kk]), c0);
            c1 = w0.fma(FloatVector.broadcast(S, x[a0 + k + kk]), c1);
            c2 = w0.fma(FloatVector.broadcast(S, x[a0 + 2 * k + kk]), c2);
            c3 = w0.fma(FloatVector.broadcast(S, x[a0 + 3 * k + kk]), c3);
        }
        write(c0, y, row, panel, w, epilogue);
        write(c1, y, row + 1, panel, w, epilogue);
        write(c2, y, row + 2, panel, w, epilogue);
        write(c3, y, row + 3, panel, w, epilogue);
    }

    private static void kernel1x1(float[] x, int row, PackedLinear w, int panel, float[] y, Epilogue epilogue) {
        final int k = w.in;
        final float[] b = w.packed;
        final int b0 = panel * k * L;
        final int a0 = row * k;
        FloatVector c0 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            c0 = FloatVector.fromArray(S, b, b0 + kk * L).fma(FloatVector.broadcast(S, x[a0 + kk]), c0);
        }
        write(c0, y, row, panel, w, epilogue);
    }

    private static void write(FloatVector acc, float[] y, int row, int panel, PackedLinear w, Epilogue epilogue) {
        int col = panel * L;
        int n = w.out;
        int at = row * n + col;
        if (col + L <= n) {
            FloatVector v = w.bias == null ? acc : acc.add(FloatVector.fromArray(S, w.bias, col));
            switch (epilogue) {
                case STORE -> v.intoArray(y, at);
                case GELU -> gelu(v).intoArray(y, at);
                case ADD -> FloatVector.fromArray(S, y, at).add(v).intoArray(y, at);
            }
        } else {
            VectorMask<Float> m = S.indexInRange(col, n);
            FloatVector v = w.bias == null ? acc : acc.add(FloatVector.fromArray(S, w.bias, col, m));
            switch (epilogue) {
                case STORE -> v.intoArray(y, at, m);
                case GELU -> gelu(v).intoArray(y, at, m);
                case ADD -> FloatVector.fromArray(S, y, at, m).add(v).intoArray(y, at, m);
            }
        }
    }

    // ---- GELU, erf form: 0.5 x (1 + erf(x / sqrt 2)) ------------------------------------------------

    private static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));
    // erf(x) ~ x P(x^2) / Q(x^2) on [-4, 4] (beyond that erf is +-1 in float): the rational approximation
    // used by Eigen and XLA for float erf; max abs error 4.2e-7 (measured against math.erf).
    private static final float A1 = -1.60960333262415e-02f, A3 = -2.95459980854025e-03f, A5 = -7.34990630326855e-04f,
            A7 = -5.69250639462346e-05f, A9 = -2.10102402082508e-06f, A11 = 2.77068142495902e-08f, A13 = -2.72614225801306e-10f;
    private static final float B0 = -1.42647390514189e-02f, B2 = -7.37332916720468e-03f, B4 = -1.68282697438203e-03f,
            B6 = -2.13374055278905e-04f, B8 = -1.45660718464996e-05f;

    static FloatVector erf(FloatVector x) {
        FloatVector c = x.max(-4f).min(4f);
        FloatVector x2 = c.mul(c);
        FloatVector p = x2.fma(A13, A11).fma(x2, FloatVector.broadcast(S, A9)).fma(x2, FloatVector.broadcast(S, A7))
                .fma(x2, FloatVector.broadcast(S, A5)).fma(x2, FloatVector.broadcast(S, A3)).fma(x2, FloatVector.broadcast(S, A1));
        FloatVector q = x2.fma(B8, B6).fma(x2, FloatVector.broadcast(S, B4)).fma(x2, FloatVector.broadcast(S, B2))
                .fma(x2, FloatVector.broadcast(S, B0));
        return c.mul(p).div(q);
    }

    static float erf(float x) {
        float c = Math.max(-4f, Math.min(4f, x));
        float x2 = c * c;
        float p = Math.fma(x2, A13, A11);
        p = Math.fma(p, x2, A9);
        p = Math.fma(p, x2, A7);
        p = Math.fma(p, x2, A5);
        p = Math.fma(p, x2, A3);
        p = Math.fma(p, x2, A1);
        float q = Math.fma(x2, B8, B6);
        q = Math.fma(q, x2, B4);
        q = Math.fma(q, x2, B2);
        q = Math.fma(q, x2, B0);
        return c * p / q;
    }

    static FloatVector gelu(FloatVector x) {
        return x.mul(0.5f).mul(erf(x.mul(INV_SQRT2)).add(1f));
    }

    /** In place over the first {@code n} elements. */
    static void gelu(float[] a, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            gelu(FloatVector.fromArray(S, a, i)).intoArray(a, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            gelu(FloatVector.fromArray(S, a, i, m)).intoArray(a, i, m);
        }
    }

    // ---- LayerNorm -------------------------------------------------------------------------------

    /** y[r] = (x[r] - mean) / sqrt(var + eps) * gamma + beta for each row of width {@code e} (biased variance). */
    static void layerNorm(WorkerPool pool, float[] x, float[] y, int rows, int e, float[] gamma, float[] beta, float eps) {
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

    // ---- Deterministic exp and lane sums --------------------------------------------------------------
    // lanewise(EXP) is Intel SVML in C2-compiled code and Math.exp lane by lane before that, and reduceLanes(ADD)
    // leaves the order of the additions to the JIT: either makes the first batches of a run differ in the last
    // bits from later ones. These use only +, *, fma and bit operations in a fixed order: the same bits in every tier.

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND_MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float EXP_MIN = -87.33654f;   // below this exp underflows the normal range: 0
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    /** exp(x) for x <= 88 (Cephes expf: 2^n · e^r, |r| <= ln2/2, degree-7 polynomial; ~2 ulp). */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(EXP_MIN).min(88.3762626647949f);
        FloatVector t = c.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(P0, P1).fma(r, FloatVector.broadcast(S, P2)).fma(r, FloatVector.broadcast(S, P3))
                .fma(r, FloatVector.broadcast(S, P4)).fma(r, FloatVector.broadcast(S, P5));
        FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
        FloatVector pow2 = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND_MAGIC) - 127)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return e.mul(pow2).blend(0f, x.lt(EXP_MIN));
    }

    /** The scalar twin of {@link #exp(FloatVector)}, bit for bit. */
    static float exp(float x) {
        float c = Math.max(EXP_MIN, Math.min(88.3762626647949f, x));
        float t = Math.fma(c, LOG2E, ROUND_MAGIC);
        float n = t - ROUND_MAGIC;
        float r = Math.fma(n, -LN2_HI, c);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float e = p * (r * r) + r + 1f;
        float pow2 = Float.intBitsToFloat((Float.floatToRawIntBits(t) - (Float.floatToRawIntBits(ROUND_MAGIC) - 127)) << 23);
        return x < EXP_MIN ? 0f : e * pow2;
    }

    /** The sum of the lanes, in lane order. */
    static float sumLanes(FloatVector v) {
        float[] lanes = v.toArray();
        float s = 0f;
        for (float x : lanes) {
            s += x;
        }
        return s;
    }

    /** Softmax of a[off..off+n) in place (FP32, max-subtracted). */
    static void softmax(float[] a, int off, int n) {
        FloatVector maxV = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i + L <= n; i += L) {
            maxV = maxV.max(FloatVector.fromArray(S, a, off + i));
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, a[off + i]);
        }
        FloatVector mv = FloatVector.broadcast(S, max);
        FloatVector sumV = FloatVector.zero(S);
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector ev = exp(FloatVector.fromArray(S, a, off + i).sub(mv));
            ev.intoArray(a, off + i);
            sumV = sumV.add(ev);
        }
        float sum = sumLanes(sumV);
        for (; i < n; i++) {
            float ev = exp(a[off + i] - max);
            a[off + i] = ev;
            sum += ev;
        }
        scale(a, off, n, 1f / sum);
    }
}
