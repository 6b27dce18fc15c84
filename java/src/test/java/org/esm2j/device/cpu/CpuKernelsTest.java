package org.esm2j.device.cpu;

import org.esm2j.device.cpu.CpuKernels.Epilogue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        int n = 40_000 / L * L;
        float[] z = new float[n + 2];
        for (int i = 0; i < z.length; i++) {
            z[i] = (i - 20_000) * 5e-4f;
        }
        float[] g = z.clone();
        CpuKernels.gelu(g, 1, n);
        assertThat(g[0]).as("before the range untouched").isEqualTo(z[0]);
        assertThat(g[n + 1]).as("after the range untouched").isEqualTo(z[n + 1]);
        for (int i = 1; i <= n; i++) {
            double expected = Reference.gelu(z[i]);
            assertThat((double) g[i]).as("gelu(%s)", z[i])
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(2.1e-7 * Math.abs(z[i]) + 2 * Reference.ulp(expected)));
        }
        assertThatThrownBy(() -> CpuKernels.gelu(g, 0, L + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Column softmax numerators: each e^(s - column max) within 2 ulp of e^x correctly rounded for x = the FP32
     * difference (the whole range softmax meets, down to -87), each column sum within (n + 2)·u relative.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 17, 300, 100_001})
    void softmaxColumnsMatchDouble(int n) {
        SplittableRandom rng = new SplittableRandom(n);
        float[] s = new float[(n + 2) * L];
        for (int j = 0; j < n; j++) {
            for (int q = 0; q < L; q++) {
                // column q: values spread over [max - 90, max], the max of each column different
                s[(j + 1) * L + q] = q + (n == 1 ? 0f : (float) rng.nextDouble(-90, 0));
            }
        }
        float[] original = s.clone();
        float[] sums = new float[L + 1];
        CpuKernels.softmaxColumns(s, L, n, sums, 1);
        for (int q = 0; q < L; q++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, original[(j + 1) * L + q]);
            }
            double expectedSum = 0;
            for (int j = 0; j < n; j++) {
                float x = original[(j + 1) * L + q] - max;
                float expected = (float) Math.exp(Math.max(x, -87.33654f));
                expectedSum += expected;
                float got = s[(j + 1) * L + q];
                if (Math.abs(got - expected) > 2 * Math.ulp(expected)) {
                    assertThat(got).as("column %d row %d: exp(%s)", q, j, x).isEqualTo(expected);
                }
            }
            assertThat((double) sums[1 + q]).as("column %d sum", q)
                    .isCloseTo(expectedSum, org.assertj.core.data.Offset.offset((n + 2) * U * expectedSum));
        }
        assertThat(s[0]).as("before the block untouched").isEqualTo(original[0]);
        assertThat(s[(n + 1) * L]).as("after the block untouched").isEqualTo(original[(n + 1) * L]);
        assertThat(sums[0]).as("before the sums untouched").isZero();
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
