package org.esm2j.device.cpu;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The blocked attention of one (sequence, head) against softmax(q K^T) V in double precision. */
class AttentionTest {
    private static final double U = Math.ulp(1f) / 2;

    /**
     * Lengths around the 8-query and 16-key blocks and head sizes of every published ESM-2 (16, 24, 32, 64) and
     * smaller ones. A score q·k in FP32 is within δ = (d + 2)·u·Σ|q_c k_c| of exact (u = 2^-24), so a probability
     * is within p·(2δ + (len + 8)·u) (the softmax sum adds len·u) and an output, a convex combination of V rows,
     * within max|v|·(2δ + (2·len + 8)·u).
     */
    @ParameterizedTest
    @CsvSource({"3, 16", "8, 16", "9, 16", "17, 24", "40, 24", "100, 32", "257, 64", "30, 8", "130, 12", "1024, 16"})
    void matchesDoublePrecisionAttention(int len, int d) {
        int heads = 3;
        int head = 1;
        int e = heads * d;
        int t0 = 5; // other tokens before the sequence: offsets must be right
        int tokens = t0 + len + 4;
        SplittableRandom rng = new SplittableRandom(len * 100L + d);
        float[] qkv = Reference.random(rng, tokens * 3 * e, 1.5);
        float[] out = new float[tokens * e];
        int residues = len - 2;
        float[] map = new float[heads * residues * residues];

        Attention.head(qkv, e, d, head, t0, len, out, map);

        double vMax = 0;
        for (int j = 0; j < len; j++) {
            for (int c = 0; c < d; c++) {
                vMax = Math.max(vMax, Math.abs(qkv[(t0 + j) * 3 * e + 2 * e + head * d + c]));
            }
        }
        for (int i = 0; i < len; i++) {
            double[] p = new double[len];
            double max = Double.NEGATIVE_INFINITY;
            double magnitude = 0;
            for (int j = 0; j < len; j++) {
                double dot = 0;
                double abs = 0;
                for (int c = 0; c < d; c++) {
                    double term = (double) qkv[(t0 + i) * 3 * e + head * d + c] * qkv[(t0 + j) * 3 * e + e + head * d + c];
                    dot += term;
                    abs += Math.abs(term);
                }
                p[j] = dot;
                max = Math.max(max, dot);
                magnitude = Math.max(magnitude, abs);
            }
            double scoreError = (d + 2) * U * magnitude;
            double sum = 0;
            for (int j = 0; j < len; j++) {
                p[j] = Math.exp(p[j] - max);
                sum += p[j];
            }
            for (int c = 0; c < d; c++) {
                double expected = 0;
                for (int j = 0; j < len; j++) {
                    expected += p[j] / sum * qkv[(t0 + j) * 3 * e + 2 * e + head * d + c];
                }
                assertThat((double) out[(t0 + i) * e + head * d + c]).as("query %d dim %d", i, c)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(vMax * (2 * scoreError + (2 * len + 8) * U)));
            }
            if (i >= 1 && i <= residues) {
                for (int j = 1; j <= residues; j++) {
                    assertThat((double) map[head * residues * residues + (i - 1) * residues + j - 1]).as("p[%d, %d]", i, j)
                            .isCloseTo(p[j] / sum, org.assertj.core.data.Offset.offset(p[j] / sum * (2 * scoreError + (len + 8) * U)));
                }
            }
        }
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < e; c++) {
                if (t < t0 || t >= t0 + len || c / d != head) {
                    assertThat(out[t * e + c]).as("outside the sequence and head: token %d col %d untouched", t, c).isZero();
                }
            }
        }
    }
}
