package org.esm2j.bench;

import org.esm2j.device.MemoryReading;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.PendingBatch;
import org.esm2j.device.cuda.ComputeDtype;
import org.esm2j.device.cuda.CudaDevice;
import org.esm2j.device.cuda.CudaDevices;
import org.esm2j.schedule.Batch;
import org.esm2j.schedule.BatchPlanner;
import org.esm2j.schedule.BatchSizer;
import org.esm2j.tokens.TokenizedSequence;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CUDA forward pass (libesm2j through {@code org.esm2j.device.cuda.CudaDevice}) per model shape and compute dtype, on
 * the realistic length mix cut into batches exactly as {@code esm2j embed} does: the token budget found by the
 * same memory search ({@link BatchSizer}), longest sequences first, two batches in flight. The {@code tokens}
 * counter is tokens per second. {@link #batchSizeSearch} times that search on its own.
 *
 * <p>Needs a CUDA GPU and {@code build/native/libesm2j.so} (or {@code -Desm2j.library=PATH} via
 * {@code -jvmArgsAppend}): without them the setup fails with the reason and JMH reports these benchmarks as not run,
 * while the CPU ones still run. Not yet run on a GPU: it was written on a machine without one.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m",
        "-Xmx48g"})
@State(Scope.Benchmark)
public class CudaForwardBenchmark {
    private static final int MAX_BATCH_SEQUENCES = 4096;

    @Param({"8M", "35M", "150M", "650M", "3B"})
    public String shape;

    @Param({"bf16", "fp16", "fp32"})
    public String dtype;

    /** Sequences of the realistic mix per benchmark operation. */
    @Param({"2000"})
    public int sequences;

    private CudaDevice device;
    private OutputSpec spec;
    private List<List<TokenizedSequence>> batches;
    private long tokens;
    private int longest;
    private BatchSizer.Result sizing;

    @Setup(Level.Trial)
    public void setUp() {
        CudaDevices.Inventory inventory = CudaDevices.discover();
        if (!inventory.usable()) {
            throw new IllegalStateException("CUDA benchmark not run: " + inventory.error());
        }
        ModelShape s = ModelShape.of(shape);
        device = CudaDevice.open(inventory.devices().getFirst(), RandomModel.weights(s, 1), ComputeDtype.parse(dtype),
                MAX_BATCH_SEQUENCES);
        spec = OutputSpec.of(EnumSet.of(OutputKind.MEAN), List.of(-1), s.layers());
        List<TokenizedSequence> seqs = Workloads.lengthMix(sequences, 3);
        tokens = Workloads.tokens(seqs);
        longest = seqs.stream().mapToInt(TokenizedSequence::length).max().orElseThrow();
        sizing = new BatchSizer().search(device, longest, MAX_BATCH_SEQUENCES, spec);
        device.setTokenBudget(sizing.budget());
        batches = BatchPlanner.plan(seqs, sizing.budget(), MAX_BATCH_SEQUENCES).stream().map(Batch::sequences).toList();
        System.out.printf("%n%s %s on %s: token budget %d (%d trials, %.1f s), %d batches of the %d-sequence mix%n", shape, dtype,
                device.description(), sizing.budget(), sizing.trials(), sizing.nanos() / 1e9, batches.size(), sequences);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (device != null) {
            MemoryReading m = device.memory();
            if (m != null) {
                System.out.printf("%ndevice memory in use at the end: %d MiB of %d MiB%n",
                        (m.totalBytes() - m.freeBytes()) >> 20, m.totalBytes() >> 20);
            }
            device.close();
        }
    }

    @Benchmark
    public void forward(TokenCounter counters, Blackhole bh) {
        PendingBatch inFlight = null;
        for (List<TokenizedSequence> b : batches) {
            PendingBatch next = device.submit(b, spec);
            if (inFlight != null) {
                bh.consume(inFlight.await());
            }
            inFlight = next;
        }
        if (inFlight != null) {
            bh.consume(inFlight.await());
        }
        counters.tokens += tokens;
    }

    /** The token-budget search {@code esm2j embed} runs once per device and sequence length (its result is cached). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public BatchSizer.Result batchSizeSearch() {
        device.releaseWorkspace();
        return new BatchSizer().search(device, longest, MAX_BATCH_SEQUENCES, spec);
    }
}
