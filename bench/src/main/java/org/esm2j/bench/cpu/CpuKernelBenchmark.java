package org.esm2j.bench.cpu;

import org.esm2j.bench.ModelShape;
import org.esm2j.bench.RandomModel;
import org.esm2j.device.cpu.Attention;
import org.esm2j.device.cpu.CpuKernels;
import org.esm2j.device.cpu.CpuKernels.Epilogue;
import org.esm2j.device.cpu.PackedLinear;
import org.esm2j.device.cpu.WorkerPool;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The CPU encoder's kernels on the shapes of one layer of a published model, 2048 tokens (8 × 256):
 * the matrix product of each linear layer with its epilogue, attention, LayerNorm. The {@code mflop} counter is
 * the useful arithmetic rate in MFLOP/s (2·rows·K·N for a product; 4·len²·E per sequence for attention, the
 * Q·K^T and P·V products), comparable with the machine's peak (2 cores × 2 FMA units × 16 lanes × 2 × clock).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m"})
@State(Scope.Benchmark)
public class CpuKernelBenchmark {
    private static final int TOKENS = 2048;

    @Param({"8M", "35M"})
    public String shape;

    @Param({"2"})
    public int threads;

    /** Sequence length for the attention benchmark (tokens / length sequences). */
    @Param({"256", "1024"})
    public int length;

    private WorkerPool pool;
    private int e;
    private int heads;
    private float[] x;
    private float[] hidden;
    private float[] y;
    private float[] qkvOut;
    private float[] ffnOut;
    private PackedLinear qkv;
    private PackedLinear fc1;
    private PackedLinear fc2;
    private float[] gamma;
    private float[] beta;
    private int[] starts;

    @Setup(Level.Trial)
    public void setUp() {
        ModelShape s = ModelShape.of(shape);
        e = s.width();
        heads = s.heads();
        SplittableRandom rng = new SplittableRandom(1);
        pool = new WorkerPool(threads);
        x = random(rng, TOKENS * e, 1);
        hidden = random(rng, TOKENS * s.ffn(), 1);
        y = random(rng, TOKENS * e, 1);
        qkvOut = random(rng, TOKENS * 3 * e, 1);
        ffnOut = new float[TOKENS * s.ffn()];
        qkv = linear(rng, 3 * e, e);
        fc1 = linear(rng, s.ffn(), e);
        fc2 = linear(rng, e, s.ffn());
        gamma = random(rng, e, 1);
        beta = random(rng, e, 1);
        int sequences = TOKENS / length;
        starts = new int[sequences + 1];
        for (int i = 0; i <= sequences; i++) {
            starts[i] = i * length;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** Useful floating-point work done, reported by JMH as MFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public double mflop;
    }

    @Benchmark
    public void qkvProjection(Work work) {
        CpuKernels.linear(pool, x, TOKENS, qkv, qkvOut, Epilogue.STORE);
        work.mflop += 2.0 * TOKENS * e * 3 * e / 1e6;
    }

    @Benchmark
    public void ffnUpWithGelu(Work work) {
        CpuKernels.linear(pool, x, TOKENS, fc1, ffnOut, Epilogue.GELU);
        work.mflop += 2.0 * TOKENS * e * fc1.out() / 1e6;
    }

    @Benchmark
    public void ffnDownWithResidual(Work work) {
        CpuKernels.linear(pool, hidden, TOKENS, fc2, y, Epilogue.ADD);
        work.mflop += 2.0 * TOKENS * fc2.in() * e / 1e6;
    }

    @Benchmark
    public void attention(Work work) {
        Attention.run(pool, qkvOut, e, heads, starts, starts.length - 1, y, null);
        work.mflop += 4.0 * length * length * e * (starts.length - 1) / 1e6;
    }

    @Benchmark
    public void layerNorm(Work work) {
        CpuKernels.layerNorm(pool, x, y, TOKENS, e, gamma, beta, 1e-5f);
        work.mflop += 8.0 * TOKENS * e / 1e6;
    }

    private static float[] random(SplittableRandom rng, int n, double bound) {
        return RandomModel.uniform(rng, n, (float) bound);
    }

    private static PackedLinear linear(SplittableRandom rng, int out, int in) {
        float[] w = random(rng, out * in, 1 / Math.sqrt(in));
        float[] b = random(rng, out, 0.1);
        return PackedLinear.pack(RandomModel.tensor("weight", w, out, in), RandomModel.tensor("bias", b, out));
    }
}
