package org.esm2j.device.cpu;

import org.esm2j.model.DType;
import org.esm2j.model.TensorInfo;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Slow, obviously correct double-precision versions of the CPU kernels, and test data for them. */
final class Reference {
    private Reference() {
    }

    static float[] random(SplittableRandom rng, int n, double bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextDouble(-bound, bound);
        }
        return a;
    }

    static TensorInfo tensor(String name, float[] data, long... shape) {
        return new TensorInfo(name, DType.F32, shape, MemorySegment.ofArray(data), Path.of("(test)"));
    }

    /** erf by Simpson's rule on 2/√π ∫ e^{-t²}: accurate to ~1e-15, far below float's resolution. */
    static double erf(double x) {
        int steps = 4000;
        double h = x / steps;
        double sum = 1 + Math.exp(-x * x);
        for (int i = 1; i < steps; i++) {
            double t = i * h;
            sum += (i % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
        }
        return 2 / Math.sqrt(Math.PI) * sum * h / 3;
    }

    static double gelu(double z) {
        return 0.5 * z * (1 + erf(z / Math.sqrt(2)));
    }

    /** One unit in the last place of a float of magnitude |v|. */
    static double ulp(double v) {
        return Math.ulp((float) Math.abs(v));
    }
}
