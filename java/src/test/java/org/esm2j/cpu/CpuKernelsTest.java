package org.esm2j.cpu;

import jdk.incubator.vector.FloatVector;
import org.esm2j.cpu.CpuKernels.Epilogue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast CPU kernels against naive double-precision versions, with the tolerance each one promises. */
class CpuKernelsTest {
    private static final int L = PackedLinear.LANES;
    private static final double U = Math.ulp(1f) / 2; // unit roundoff of float, 2^-24
    private static WorkerPool pool;

    @BeforeAll
    static void startPool() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    /**
     * y = x W^T + b against a double triple loop. An FP32 dot product of length K is within K·u·Σ|x_k w_k| of the
     * exact value (u = 2^-24); the bound below adds the bias, the residual and GELU's erf approximation
     * (4.2e-7 absolute on erf, so 2.1e-7·|z| on GELU).
     */
    @ParameterizedTest
    @CsvSource({"1, 5, 1", "7, 37, 33", "8, 64, 48", "9, 100, 50", "19, 320, 96", "70, 480, 1440", "130, 96, 80"})
    void linearMatchesDoubleTripleLoop(int rows, int k, int n) {
        SplittableRandom rng = new SplittableRandom(rows * 31L + k * 7L + n);
        float[] x = Reference.random(rng, rows * k, 2);
        float[] w = Reference.random(rng, n * k, 1 / Math.sqrt(k));
        float[] b = Reference.random(rng, n, 0.5);
        PackedLinear packed = PackedLinear.pack(Reference.tensor("w", w, n, k), Reference.tensor("b", b, n));
        for (Epilogue epilogue : Epilogue.values()) {
            float[] residual = Reference.random(rng, rows * n, 3);
            float[] y = epilogue == Epilogue.ADD ? residual.clone() : new float[rows * n];
            CpuKernels.linear(pool, x, rows, packed, y, epilogue);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < n; c++) {
                    double z = b[c];
                    double magnitude = Math.abs(b[c]);
                    for (int kk = 0; kk < k; kk++) {
                        z += (double) x[r * k + kk] * w[c * k + kk];
                        magnitude += Math.abs((double) x[r * k + kk] * w[c * k + kk]);
                    }
                    double expected = switch (epilogue) {
                        case STORE -> z;
                        case GELU -> Reference.gelu(z);
                        case ADD -> residual[r * n + c] + z;
                    };
                    double tolerance = (k + 2) * U * magnitude + 2.1e-7 * Math.abs(z) + 2 * Reference.ulp(expected)
                            + (epilogue == Epilogue.ADD ? Reference.ulp(residual[r * n + c]) : 0);
                    assertThat((double) y[r * n + c]).as("%s y[%d, %d] of %dx%d·%d^T", epilogue, r, c, rows, k, n)
                            .isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
                }
            }
        }
    }

    /** GELU's erf is a rational approximation with 4.2e-7 absolute error: |gelu - exact| ≤ 2.1e-7·|z| + 2 ulp. */
    @Test
    void geluMatchesTheErfForm() {
        float[] z = new float[L];
        for (int step = -20000; step < 20000; step += L) {
            for (int j = 0; j < L; j++) {
                z[j] = (step + j) * 5e-4f;
            }
            float[] g = new float[L];
            CpuKernels.gelu(FloatVector.fromArray(PackedLinear.SPECIES, z, 0)).intoArray(g, 0);
            for (int j = 0; j < L; j++) {
                double expected = Reference.gelu(z[j]);
                assertThat((double) g[j]).as("gelu(%s)", z[j])
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(2.1e-7 * Math.abs(z[j]) + 2 * Reference.ulp(expected)));
            }
        }
    }

    /** The polynomial exp is within 2 ulp of the correctly rounded e^x over softmax's whole range. */
    @Test
    void expWithinTwoUlp() {
        float[] x = new float[L];
        float[] e = new float[L];
        for (int step = 0; step < 200_000; step++) {
            for (int j = 0; j < L; j++) {
                x[j] = -87f + (step * L + j) * (175f / (200_000 * L));
            }
            CpuKernels.exp(FloatVector.fromArray(PackedLinear.SPECIES, x, 0)).intoArray(e, 0);
            for (int j = 0; j < L; j++) {
                float expected = (float) Math.exp(x[j]);
                assertThat(Math.abs(e[j] - expected)).as("exp(%s) = %s, expected %s", x[j], e[j], expected)
                        .isLessThanOrEqualTo(2 * Math.ulp(expected));
            }
        }
    }

    /**
     * Softmax numerators and their sum: each value within 3 ulp of e^(a - max) with the difference taken in FP32
     * (as the kernel does; exp's own accuracy is checked above), the sum within n·u relative (FP32 summation).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 15, 16, 17, 300, 1024})
    void softmaxNumeratorsMatchDouble(int n) {
        SplittableRandom rng = new SplittableRandom(n);
        float[] a = Reference.random(rng, n + 3, 30);
        float[] original = a.clone();
        float sum = CpuKernels.expMinusMax(a, 3, n);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, original[3 + i]);
        }
        double expectedSum = 0;
        for (int i = 0; i < n; i++) {
            double expected = Math.exp((float) (original[3 + i] - max));
            expectedSum += expected;
            assertThat((double) a[3 + i]).as("exp(a[%d] - max)", i)
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(3 * Reference.ulp(expected)));
        }
        assertThat((double) sum).isCloseTo(expectedSum, org.assertj.core.data.Offset.offset((n + 3) * U * expectedSum));
        assertThat(a[0]).as("elements before the row untouched").isEqualTo(original[0]);
    }

    /** LayerNorm in FP32: mean and variance sums of e terms, so within about e·u relative to |γ·x̂| + |β|. */
    @ParameterizedTest
    @ValueSource(ints = {37, 64, 320, 1280})
    void layerNormMatchesDouble(int e) {
        SplittableRandom rng = new SplittableRandom(e);
        int rows = 21;
        float[] x = Reference.random(rng, rows * e, 4);
        for (int i = 0; i < x.length; i++) {
            x[i] += 3; // an offset, as residual streams have: the variance must not cancel badly
        }
        float[] gamma = Reference.random(rng, e, 2);
        float[] beta = Reference.random(rng, e, 1);
        float[] y = new float[rows * e];
        CpuKernels.layerNorm(pool, x, y, rows, e, gamma, beta, 1e-5f);
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int i = 0; i < e; i++) {
                mean += x[r * e + i];
            }
            mean /= e;
            double var = 0;
            for (int i = 0; i < e; i++) {
                var += (x[r * e + i] - mean) * (x[r * e + i] - mean);
            }
            var /= e;
            for (int i = 0; i < e; i++) {
                double normalized = (x[r * e + i] - mean) / Math.sqrt(var + 1e-5);
                double expected = normalized * gamma[i] + beta[i];
                double tolerance = (e + 8) * U * (Math.abs(normalized * gamma[i]) + Math.abs(beta[i]) + Math.abs(gamma[i]));
                assertThat((double) y[r * e + i]).as("row %d col %d", r, i)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
            }
        }
    }
}
