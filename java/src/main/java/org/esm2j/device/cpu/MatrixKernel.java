package org.esm2j.device.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernel of every matrix product on the CPU (linear layers, K·Q^T, V^T·P^T):
 * C[8, w·L] = A[8, k] · B[k, w·L] for w = 1, 2 or 3 strips of L = vector-length columns.
 *
 * <p>Layouts:
 * <ul>
 *   <li>A: 8 rows of k floats, row r at {@code aOff + r·aStride} (an activation matrix, any row stride);</li>
 *   <li>B: packed in strips of L columns, element (kk, strip p, lane j) at {@code bOff + p·bStrip + kk·L + j}
 *       ({@link PackedLinear}'s layout has bStrip = k·L), so one vector load gives the L values that multiply
 *       A[r, kk];</li>
 *   <li>C: row r, strip p at {@code cOff + r·cStride + p·cStrip}, L floats; written whole (callers give a scratch
 *       tile when the last strip runs past their matrix).</li>
 * </ul>
 *
 * <p>Each step over k broadcasts 8 A elements and loads w B vectors for 8·w FMAs: 24 accumulators for w = 3,
 * which with the 3 B vectors and the broadcast keeps 28 of AVX-512's 32 registers busy (measured on this
 * machine: 8×3 ran 1.3–1.5× faster than the earlier 4×3 tile, and blocking over k did not help it). Every C
 * element is one FMA chain over kk = 0, 1, … k−1 starting from 0, whatever w is and wherever the tile sits,
 * so a row's result never depends on the rows or columns computed with it.
 */
final class MatrixKernel {
    static final VectorSpecies<Float> S = PackedLinear.SPECIES;
    static final int L = PackedLinear.LANES;
    /** Rows per tile. */
    static final int ROWS = 8;
    /** Most strips per tile. */
    static final int MAX_STRIPS = 3;

    private MatrixKernel() {
    }

    /** C[8, strips·L] = A[8, k] · B[k, strips·L]; {@code strips} is 1, 2 or 3. */
    static void tile(float[] a, int aOff, int aStride, int k, float[] b, int bOff, int bStrip, int strips,
                     float[] c, int cOff, int cStride, int cStrip) {
        switch (strips) {
            case 3 -> tile8x3(a, aOff, aStride, k, b, bOff, bStrip, c, cOff, cStride, cStrip);
            case 2 -> tile8x2(a, aOff, aStride, k, b, bOff, bStrip, c, cOff, cStride, cStrip);
            case 1 -> tile8x1(a, aOff, aStride, k, b, bOff, c, cOff, cStride);
            default -> throw new IllegalArgumentException("strips must be 1..3, got " + strips);
        }
    }

    private static void tile8x3(float[] a, int aOff, int aStride, int k, float[] b, int bOff, int bStrip,
                                float[] c, int cOff, int cStride, int cStrip) {
        final int b0 = bOff;
        final int b1 = b0 + bStrip;
        final int b2 = b1 + bStrip;
        final int a0 = aOff;
        final int a1 = a0 + aStride;
        final int a2 = a1 + aStride;
        final int a3 = a2 + aStride;
        final int a4 = a3 + aStride;
        final int a5 = a4 + aStride;
        final int a6 = a5 + aStride;
        final int a7 = a6 + aStride;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c62 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S), c72 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = kk * L;
            FloatVector w0 = FloatVector.fromArray(S, b, b0 + o);
            FloatVector w1 = FloatVector.fromArray(S, b, b1 + o);
            FloatVector w2 = FloatVector.fromArray(S, b, b2 + o);
            FloatVector v = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = w0.fma(v, c00);
            c01 = w1.fma(v, c01);
            c02 = w2.fma(v, c02);
            v = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = w0.fma(v, c10);
            c11 = w1.fma(v, c11);
            c12 = w2.fma(v, c12);
            v = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = w0.fma(v, c20);
            c21 = w1.fma(v, c21);
            c22 = w2.fma(v, c22);
            v = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = w0.fma(v, c30);
            c31 = w1.fma(v, c31);
            c32 = w2.fma(v, c32);
            v = FloatVector.broadcast(S, a[a4 + kk]);
            c40 = w0.fma(v, c40);
            c41 = w1.fma(v, c41);
            c42 = w2.fma(v, c42);
            v = FloatVector.broadcast(S, a[a5 + kk]);
            c50 = w0.fma(v, c50);
            c51 = w1.fma(v, c51);
            c52 = w2.fma(v, c52);
            v = FloatVector.broadcast(S, a[a6 + kk]);
            c60 = w0.fma(v, c60);
            c61 = w1.fma(v, c61);
            c62 = w2.fma(v, c62);
            v = FloatVector.broadcast(S, a[a7 + kk]);
            c70 = w0.fma(v, c70);
            c71 = w1.fma(v, c71);
            c72 = w2.fma(v, c72);
        }
        int o = cOff;
        c00.intoArray(c, o);
        c01.intoArray(c, o + cStrip);
        c02.intoArray(c, o + 2 * cStrip);
        o += cStride;
        c10.intoArray(c, o);
        c11.intoArray(c, o + cStrip);
        c12.intoArray(c, o + 2 * cStrip);
        o += cStride;
        c20.intoArray(c, o);
        c21.intoArray(c, o + cStrip);
        c22.intoArray(c, o + 2 * cStrip);
        o += cStride;
        c30.intoArray(c, o);
        c31.intoArray(c, o + cStrip);
        c32.intoArray(c, o + 2 * cStrip);
        o += cStride;
        c40.intoArray(c, o);
        c41.intoArray(c, o + cStrip);
        c42.intoArray(c, o + 2 * cStrip);
        o += cStride;
        c50.intoArray(c, o);
        c51.intoArray(c, o + cStrip);
        c52.intoArray(c, o + 2 * cStrip);
        o += cStride;
        c60.intoArray(c, o);
        c61.intoArray(c, o + cStrip);
        c62.intoArray(c, o + 2 * cStrip);
        o += cStride;
        c70.intoArray(c, o);
        c71.intoArray(c, o + cStrip);
        c72.intoArray(c, o + 2 * cStrip);
    }

    private static void tile8x2(float[] a, int aOff, int aStride, int k, float[] b, int bOff, int bStrip,
                                float[] c, int cOff, int cStride, int cStrip) {
        final int b0 = bOff;
        final int b1 = b0 + bStrip;
        final int a0 = aOff;
        final int a1 = a0 + aStride;
        final int a2 = a1 + aStride;
        final int a3 = a2 + aStride;
        final int a4 = a3 + aStride;
        final int a5 = a4 + aStride;
        final int a6 = a5 + aStride;
        final int a7 = a6 + aStride;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = kk * L;
            FloatVector w0 = FloatVector.fromArray(S, b, b0 + o);
            FloatVector w1 = FloatVector.fromArray(S, b, b1 + o);
            FloatVector v = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = w0.fma(v, c00);
            c01 = w1.fma(v, c01);
            v = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = w0.fma(v, c10);
            c11 = w1.fma(v, c11);
            v = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = w0.fma(v, c20);
            c21 = w1.fma(v, c21);
            v = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = w0.fma(v, c30);
            c31 = w1.fma(v, c31);
            v = FloatVector.broadcast(S, a[a4 + kk]);
            c40 = w0.fma(v, c40);
            c41 = w1.fma(v, c41);
            v = FloatVector.broadcast(S, a[a5 + kk]);
            c50 = w0.fma(v, c50);
            c51 = w1.fma(v, c51);
            v = FloatVector.broadcast(S, a[a6 + kk]);
            c60 = w0.fma(v, c60);
            c61 = w1.fma(v, c61);
            v = FloatVector.broadcast(S, a[a7 + kk]);
            c70 = w0.fma(v, c70);
            c71 = w1.fma(v, c71);
        }
        int o = cOff;
        c00.intoArray(c, o);
        c01.intoArray(c, o + cStrip);
        o += cStride;
        c10.intoArray(c, o);
        c11.intoArray(c, o + cStrip);
        o += cStride;
        c20.intoArray(c, o);
        c21.intoArray(c, o + cStrip);
        o += cStride;
        c30.intoArray(c, o);
        c31.intoArray(c, o + cStrip);
        o += cStride;
        c40.intoArray(c, o);
        c41.intoArray(c, o + cStrip);
        o += cStride;
        c50.intoArray(c, o);
        c51.intoArray(c, o + cStrip);
        o += cStride;
        c60.intoArray(c, o);
        c61.intoArray(c, o + cStrip);
        o += cStride;
        c70.intoArray(c, o);
        c71.intoArray(c, o + cStrip);
    }

    private static void tile8x1(float[] a, int aOff, int aStride, int k, float[] b, int bOff,
                                float[] c, int cOff, int cStride) {
        final int a0 = aOff;
        final int a1 = a0 + aStride;
        final int a2 = a1 + aStride;
        final int a3 = a2 + aStride;
        final int a4 = a3 + aStride;
        final int a5 = a4 + aStride;
        final int a6 = a5 + aStride;
        final int a7 = a6 + aStride;
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            FloatVector w0 = FloatVector.fromArray(S, b, bOff + kk * L);
            c0 = w0.fma(FloatVector.broadcast(S, a[a0 + kk]), c0);
            c1 = w0.fma(FloatVector.broadcast(S, a[a1 + kk]), c1);
            c2 = w0.fma(FloatVector.broadcast(S, a[a2 + kk]), c2);
            c3 = w0.fma(FloatVector.broadcast(S, a[a3 + kk]), c3);
            c4 = w0.fma(FloatVector.broadcast(S, a[a4 + kk]), c4);
            c5 = w0.fma(FloatVector.broadcast(S, a[a5 + kk]), c5);
            c6 = w0.fma(FloatVector.broadcast(S, a[a6 + kk]), c6);
            c7 = w0.fma(FloatVector.broadcast(S, a[a7 + kk]), c7);
        }
        int o = cOff;
        c0.intoArray(c, o);
        c1.intoArray(c, o += cStride);
        c2.intoArray(c, o += cStride);
        c3.intoArray(c, o += cStride);
        c4.intoArray(c, o += cStride);
        c5.intoArray(c, o += cStride);
        c6.intoArray(c, o += cStride);
        c7.intoArray(c, o + cStride);
    }
}
