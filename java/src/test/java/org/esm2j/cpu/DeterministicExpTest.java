package org.esm2j.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The softmax's exp is computed with +, *, fma and bit operations only, so that a batch gives the same bits
 * whether the JIT has compiled the kernels yet or not (lanewise(EXP) does not: SVML in C2, Math.exp before).
 */
class DeterministicExpTest {
    private static final int L = PackedLinear.LANES;

    @Test
    void vectorAndScalarExpAgreeBitForBitAndStayWithin3UlpOfMathExp() {
        Random random = new Random(42);
        float[] x = new float[L];
        float[] y = new float[L];
        double worst = 0;
        for (int round = 0; round < 20_000; round++) {
            for (int i = 0; i < L; i++) {
                x[i] = round % 2 == 0 ? -random.nextFloat() * 30f : (random.nextFloat() - 0.9f) * 100f;
            }
            CpuKernels.exp(FloatVector.fromArray(PackedLinear.SPECIES, x, 0)).intoArray(y, 0);
            for (int i = 0; i < L; i++) {
                float scalar = CpuKernels.exp(x[i]);
                assertThat(Float.floatToRawIntBits(y[i])).as("exp(%s)", x[i]).isEqualTo(Float.floatToRawIntBits(scalar));
                double exact = Math.exp(x[i]);
                if (exact >= Float.MIN_NORMAL) {
                    worst = Math.max(worst, Math.abs(y[i] - exact) / Math.ulp((float) exact));
                } else {
                    assertThat(y[i]).as("exp(%s) under the normal range", x[i]).isLessThan(2 * Float.MIN_NORMAL);
                }
            }
        }
        assertThat(worst).isLessThanOrEqualTo(3.0);
        assertThat(CpuKernels.exp(0f)).isEqualTo(1f);
        assertThat(CpuKernels.exp(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
        assertThat(CpuKernels.exp(-200f)).isEqualTo(0f);
    }

    @Test
    void lanesAreSummedInLaneOrder() {
        float[] v = new float[L];
        v[0] = 1e8f;
        for (int i = 1; i < L; i++) {
            v[i] = 1f;
        }
        float sequential = 0;
        for (float f : v) {
            sequential += f;
        }
        assertThat(CpuKernels.sumLanes(FloatVector.fromArray(PackedLinear.SPECIES, v, 0))).isEqualTo(sequential);
    }
}
