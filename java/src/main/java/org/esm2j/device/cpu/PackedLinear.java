package org.esm2j.device.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.esm2j.model.TensorInfo;

/**
 * A linear layer y = x W^T + b with W repacked for the CPU matrix kernel.
 *
 * <p>PyTorch stores W as [N, K] (out, in). The kernel wants, for a strip of L output columns
 * (L = the vector length), the K weights of those columns side by side, so that one vector load
 * gives the L weights that multiply x[k]: {@code packed[p][k][j] = W[p*L + j][k]}, strips padded
 * with zeros to a multiple of L. Packing happens once, at load.
 */
public final class PackedLinear {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    final int in;        // K
    final int out;       // N
    final int panels;    // ceil(N / L)
    final float[] packed; // [panels][K][L]
    final float[] bias;  // [N], or null

    private PackedLinear(int in, int out, float[] packed, float[] bias) {
        this.in = in;
        this.out = out;
        this.panels = (out + LANES - 1) / LANES;
        this.packed = packed;
        this.bias = bias;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** Packs several [N_i, K] weights stacked along N (e.g. query, key, value) into one layer. */
    public static PackedLinear pack(TensorInfo[] weights, TensorInfo[] biases) {
        int k = (int) weights[0].shape()[1];
        int n = 0;
        for (TensorInfo w : weights) {
            if (w.shape()[1] != k) {
                throw new IllegalArgumentException("stacked weights disagree on the input width");
            }
            n += (int) w.shape()[0];
        }
        int panels = (n + LANES - 1) / LANES;
        float[] packed = new float[Math.multiplyExact(Math.multiplyExact(panels, k), LANES)];
        int row = 0;
        float[] rowBuf = new float[k];
        for (TensorInfo w : weights) {
            int rows = (int) w.shape()[0];
            for (int r = 0; r < rows; r++, row++) {
                readRow(w, r, k, rowBuf);
                int p = row / LANES;
                int j = row % LANES;
                int base = p * k * LANES + j;
                for (int kk = 0; kk < k; kk++) {
                    packed[base + kk * LANES] = rowBuf[kk];
                }
            }
        }
        float[] bias = null;
        if (biases != null) {
            bias = new float[n];
            int off = 0;
            for (TensorInfo b : biases) {
                float[] part = b.toFloatArray();
                System.arraycopy(part, 0, bias, off, part.length);
                off += part.length;
            }
        }
        return new PackedLinear(k, n, packed, bias);
    }

    public static PackedLinear pack(TensorInfo weight, TensorInfo bias) {
        return pack(new TensorInfo[] {weight}, bias == null ? null : new TensorInfo[] {bias});
    }

    private static void readRow(TensorInfo w, int r, int k, float[] dst) {
        long base = (long) r * k;
        if (w.dtype() == org.esm2j.model.DType.F32) {
            java.lang.foreign.MemorySegment.copy(w.data(), java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, base * 4, dst, 0, k);
        } else {
            for (int i = 0; i < k; i++) {
                dst[i] = w.getFloat(base + i);
            }
        }
    }
}
