package org.esm2j.bench;

import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.cpu.CpuEncoder;
import org.esm2j.schedule.Batch;
import org.esm2j.schedule.BatchPlanner;
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
 * End-to-end CPU encoder throughput: the {@code tokens} counter is tokens per second (BOS and EOS counted,
 * as PyTorch's figures count them), the primary score is workloads per second.
 *
 * <ul>
 *   <li>{@code 8x256}: 8 sequences of 256 tokens in one batch, the shape ENVIRONMENT.md quotes PyTorch figures for;</li>
 *   <li>{@code mix}: 32 sequences of the realistic length mix, cut into batches exactly as {@code esm2j embed}
 *       does (longest first, 4096-token budget).</li>
 * </ul>
 * Output: mean embeddings of the last layer, {@code esm2j embed}'s default.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m"})
@State(Scope.Benchmark)
public class CpuEncoderBenchmark {
    @Param({"8M", "35M"})
    public String shape;

    @Param({"8x256", "mix"})
    public String workload;

    @Param({"2"})
    public int threads;

    private CpuEncoder encoder;
    private List<List<TokenizedSequence>> batches;
    private OutputSpec spec;
    private long tokens;

    @Setup(Level.Trial)
    public void setUp() {
        ModelShape s = ModelShape.of(shape);
        encoder = new CpuEncoder(RandomModel.weights(s, 1), threads);
        List<TokenizedSequence> seqs = switch (workload) {
            case "8x256" -> Workloads.fixed(8, 256, 2);
            case "mix" -> Workloads.lengthMix(32, 3);
            default -> throw new IllegalArgumentException("workload " + workload + ": expected 8x256 or mix");
        };
        tokens = Workloads.tokens(seqs);
        batches = BatchPlanner.plan(seqs, 4096, 4096).stream().map(Batch::sequences).toList();
        spec = OutputSpec.of(EnumSet.of(OutputKind.MEAN), List.of(-1), s.layers());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
    }

    @Benchmark
    public void encode(TokenCounter counters, Blackhole bh) {
        for (List<TokenizedSequence> b : batches) {
            bh.consume(encoder.encode(b, spec));
        }
        counters.tokens += tokens;
    }
}
