package org.esm2j.run;

import org.esm2j.TestData;
import org.esm2j.cpu.CpuEncoder;
import org.esm2j.cpu.RoundedEncoder;
import org.esm2j.cuda.ComputeDtype;
import org.esm2j.model.Alphabet;
import org.esm2j.model.EsmModel;
import org.esm2j.model.EsmWeights;
import org.esm2j.model.LayerWeights;
import org.esm2j.model.OutputKind;
import org.esm2j.model.OutputSpec;
import org.esm2j.model.SequenceEmbedding;
import org.esm2j.model.TokenizedSequence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The GPU start-up check, with a simulated device standing in for the GPU (the maths of a CPU encoder holding the
 * same shortened model a GPU would load), corrupted one output at a time; and {@link RoundedEncoder} standing in
 * for a correct BF16 or FP16 GPU.
 */
class DeviceProbeTest {
    static EsmModel small; // 4 layers: the check runs the first 2, then the final LayerNorm and the LM head
    static EsmModel tiny;  // 2 layers: the shortened model is the whole model
    static DeviceProbe.Expected expected;

    @BeforeAll
    static void load() {
        small = EsmModel.load(TestData.small().toString());
        tiny = EsmModel.load(TestData.tiny().toString());
        expected = DeviceProbe.expected(small.weights(), 2);
    }

    @AfterAll
    static void close() {
        small.close();
        tiny.close();
    }

    /** A device holding the check's shortened model that computes exactly, then lets {@code corrupt} change each result. */
    static EncoderDevice device(UnaryOperator<SequenceEmbedding> corrupt) {
        return deviceOfLists(results -> results.stream().map(corrupt).toList());
    }

    /** A device holding the check's shortened model that computes exactly, then lets {@code corrupt} change the list of results. */
    static EncoderDevice deviceOfLists(UnaryOperator<List<SequenceEmbedding>> corrupt) {
        SimulatedDevice exact = new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 1L << 30), expected.model());
        return new EncoderDevice() {
            public String id() {
                return "sim:0";
            }

            public String description() {
                return "corruptible";
            }

            public List<SequenceEmbedding> encode(List<TokenizedSequence> batch, OutputSpec spec) {
                return corrupt.apply(exact.encode(batch, spec));
            }

            public long defaultTokenBudget() {
                return 4096;
            }

            public void close() {
                exact.close();
            }
        };
    }

    /** A correct device computing in a 16-bit dtype, as the CUDA library rounds. */
    static EncoderDevice rounded(EsmWeights shortened, RoundedEncoder.Rounding rounding) {
        RoundedEncoder encoder = new RoundedEncoder(shortened, rounding, 2);
        return new EncoderDevice() {
            public String id() {
                return "emulated:" + rounding;
            }

            public String description() {
                return rounding + " emulation";
            }

            public List<SequenceEmbedding> encode(List<TokenizedSequence> batch, OutputSpec spec) {
                return encoder.encode(batch, spec);
            }

            public long defaultTokenBudget() {
                return 4096;
            }

            public void close() {
                encoder.close();
            }
        };
    }

    @Test
    void onATwoLayerCheckpointTheShortenedModelIsTheWholeModel() {
        EsmWeights shortened = DeviceProbe.shortened(tiny.weights());
        assertThat(shortened.config().numLayers()).isEqualTo(2);
        OutputSpec spec = DeviceProbe.spec(shortened);
        assertThat(spec.kinds()).containsExactlyInAnyOrder(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.BOS, OutputKind.LOGITS);
        assertThat(spec.layers()).containsExactly(0, 1, 2);
        List<TokenizedSequence> probes = DeviceProbe.probes();
        try (CpuEncoder whole = new CpuEncoder(tiny.weights(), 2); CpuEncoder cut = new CpuEncoder(shortened, 2)) {
            List<SequenceEmbedding> a = whole.encode(probes, spec);
            List<SequenceEmbedding> b = cut.encode(probes, spec);
            for (int s = 0; s < probes.size(); s++) {
                for (int slot = 0; slot < 3; slot++) {
                    assertThat(b.get(s).perToken()[slot]).isEqualTo(a.get(s).perToken()[slot]);
                    assertThat(b.get(s).mean()[slot]).isEqualTo(a.get(s).mean()[slot]);
                    assertThat(b.get(s).bos()[slot]).isEqualTo(a.get(s).bos()[slot]);
                }
                assertThat(b.get(s).logits()).isEqualTo(a.get(s).logits());
            }
        }
    }

    @Test
    void theShortenedModelIsTheFirstLayersThenTheFinalLayerNormAndTheLmHead() {
        EsmWeights shortened = expected.model();
        assertThat(shortened.config().numLayers()).isEqualTo(2);
        assertThat(shortened.layers()).isEqualTo(small.weights().layers().subList(0, 2));
        assertThat(shortened.finalNormWeight()).isSameAs(small.weights().finalNormWeight());
        assertThat(shortened.lmHead()).isSameAs(small.weights().lmHead());
        assertThat(shortened.contactHead()).as("the contact head spans every layer").isNull();
        List<TokenizedSequence> probes = expected.probes();
        OutputSpec spec = expected.spec();
        // Representations 0 and 1 are the whole model's; representation 2 and the logits an independent
        // implementation of the same shortened model gives (RoundedEncoder without rounding).
        try (CpuEncoder whole = new CpuEncoder(small.weights(), 2); EncoderDevice plain = rounded(shortened, RoundedEncoder.Rounding.NONE)) {
            List<SequenceEmbedding> full = whole.encode(probes, OutputSpec.of(spec.kinds(), List.of(0, 1), 4));
            List<SequenceEmbedding> independent = plain.encode(probes, spec);
            for (int s = 0; s < probes.size(); s++) {
                SequenceEmbedding e = expected.results().get(s);
                for (int slot = 0; slot < 2; slot++) {
                    assertThat(e.perToken()[slot]).isEqualTo(full.get(s).perToken()[slot]);
                    assertThat(e.mean()[slot]).isEqualTo(full.get(s).mean()[slot]);
                }
                assertThat(DeviceProbe.relativeError(independent.get(s).perToken()[2], e.perToken()[2])).isLessThan(1e-5);
                assertThat(DeviceProbe.relativeError(independent.get(s).mean()[2], e.mean()[2])).isLessThan(1e-5);
                assertThat(DeviceProbe.relativeError(independent.get(s).logits(), e.logits())).isLessThan(1e-5);
                assertThat(DeviceProbe.relativeError(e.logits(), full.get(s).logits())).as("not the whole model's logits").isGreaterThan(1e-2);
            }
        }
        assertThatThrownBy(() -> small.weights().firstLayers(5)).hasMessageContaining("1..4");
    }

    @Test
    void probesCoverASingleResidueBothSidesOfTheAttentionTilesAMaskAnUnknownLetterAndALongSequence() {
        List<TokenizedSequence> probes = DeviceProbe.probes();
        assertThat(probes).extracting(TokenizedSequence::residues).containsExactly(1, 31, 33, 64, 65, 130, 1000);
        assertThat(probes).anySatisfy(p -> assertThat(p.tokens()).contains(Alphabet.MASK));
        assertThat(probes).anySatisfy(p -> assertThat(p.unknownLetters()).isEqualTo(1));
        assertThat(DeviceProbe.probes()).as("the same probes every time").extracting(p -> Arrays.toString(p.tokens()))
                .isEqualTo(probes.stream().map(p -> Arrays.toString(p.tokens())).toList());
    }

    @Test
    void anExactDevicePasses() {
        try (EncoderDevice d = device(e -> e)) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.FP32);
            assertThat(r.passed()).as(r.describe()).isTrue();
            assertThat(r.worstError()).isZero();
            assertThat(r.layers()).isEqualTo(2);
            assertThat(r.sequences()).isEqualTo(7);
        }
    }

    @Test
    void aCheckpointWithoutAnLmHeadIsCheckedWithoutLogits() {
        EsmWeights w = tiny.weights();
        EsmWeights headless = new EsmWeights(w.config(), w.embedTokens(), w.layers(), w.finalNormWeight(), w.finalNormBias(), null, null);
        DeviceProbe.Expected reference = DeviceProbe.expected(headless, 2);
        assertThat(reference.spec().has(OutputKind.LOGITS)).isFalse();
        try (EncoderDevice cpu = new CpuDevice(reference.model(), 2)) {
            DeviceProbe.Result r = DeviceProbe.check(cpu, reference, ComputeDtype.FP32);
            assertThat(r.passed()).as(r.describe()).isTrue();
        }
    }

    @Test
    void theCpuBackendPassesAgainstItself() {
        try (EncoderDevice cpu = new CpuDevice(expected.model(), 2)) {
            DeviceProbe.Result r = DeviceProbe.check(cpu, expected, ComputeDtype.FP32);
            assertThat(r.passed()).as(r.describe()).isTrue();
            assertThat(r.worstError()).isZero();
        }
    }

    @Test
    void aCorrectSixteenBitDevicePassesWithRoomToSpare() {
        for (EsmModel model : List.of(small, tiny)) {
            DeviceProbe.Expected reference = model == small ? expected : DeviceProbe.expected(tiny.weights(), 2);
            for (RoundedEncoder.Rounding rounding : List.of(RoundedEncoder.Rounding.BF16, RoundedEncoder.Rounding.FP16)) {
                ComputeDtype dtype = rounding == RoundedEncoder.Rounding.BF16 ? ComputeDtype.BF16 : ComputeDtype.FP16;
                try (EncoderDevice d = rounded(reference.model(), rounding)) {
                    DeviceProbe.Result r = DeviceProbe.check(d, reference, dtype);
                    assertThat(r.worstError()).as(model.config().hiddenSize() + ", " + r.describe()).isLessThanOrEqualTo(r.tolerance() / 1.5);
                    // and it is a 16-bit device: FP32's limit would refuse it
                    assertThat(DeviceProbe.check(d, reference, ComputeDtype.FP32).passed()).isFalse();
                }
            }
        }
    }

    @Test
    void aDeviceThatRecomputesTheRotaryFrequenciesIsRefusedInFp32ByTheLongProbe() {
        // Recomputing inv_freq instead of taking the checkpoint's fp16-rounded one moves the rotary angle by up to
        // 0.07 rad at position 1,000: the long probe shows it most. FP32 refuses it; in BF16 it is an error of BF16's
        // own size (2.0e-2 on the logits here, limit 3e-2), which the BF16 check cannot tell from rounding.
        EsmWeights w = expected.model();
        List<LayerWeights> recomputed = w.layers().stream().map(l -> new LayerWeights(l.attnNormWeight(), l.attnNormBias(),
                l.queryWeight(), l.queryBias(), l.keyWeight(), l.keyBias(), l.valueWeight(), l.valueBias(),
                EsmWeights.computeInvFreq(w.config().headDim()), l.outWeight(), l.outBias(), l.ffnNormWeight(), l.ffnNormBias(),
                l.fc1Weight(), l.fc1Bias(), l.fc2Weight(), l.fc2Bias())).toList();
        EsmWeights wrong = new EsmWeights(w.config(), w.embedTokens(), recomputed, w.finalNormWeight(), w.finalNormBias(), w.lmHead(), null);
        try (EncoderDevice d = new CpuDevice(wrong, 2)) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.FP32);
            assertThat(r.passed()).as(r.describe()).isFalse();
            assertThat(r.worstAt()).contains("sequence of 1000 residues");
        }
        try (EncoderDevice d = rounded(wrong, RoundedEncoder.Rounding.BF16)) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.BF16);
            assertThat(r.worstAt()).as(r.describe()).contains("sequence of 1000 residues");
        }
    }

    @Test
    void aDeviceWithBf16SizedErrorsPassesInBf16ButNotInFp32() {
        // Every value off by a relative 1e-3 (BF16 rounds to 3.9e-3): fine for bf16, far outside fp32's 1e-4.
        try (EncoderDevice d = device(e -> scaled(e, 1.001f))) {
            assertThat(DeviceProbe.check(d, expected, ComputeDtype.BF16).passed()).isTrue();
            DeviceProbe.Result fp32 = DeviceProbe.check(d, expected, ComputeDtype.FP32);
            assertThat(fp32.passed()).isFalse();
            assertThat(fp32.worstError()).isCloseTo(1e-3, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void aWrongDeviceFailsAndTheReportSaysWhere() {
        // One sequence's layer-1 output wrong: what a broken single-token path would do.
        try (EncoderDevice d = device(e -> e.residues() == 1 ? withPerToken(e, 1, new float[e.perToken()[1].length]) : e)) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.BF16);
            assertThat(r.passed()).isFalse();
            assertThat(r.worstError()).isEqualTo(1.0);
            assertThat(r.describe()).contains("per-token, representation 1, sequence of 1 residues", "limit");
        }
    }

    @Test
    void aDeviceWhoseMeanPoolingCountsBosAndEosIsRefused() {
        // mean over every position instead of the residues: (n·mean + bos + eos) / (n + 2), eos approximated by bos
        try (EncoderDevice d = device(e -> {
            float[][] mean = new float[e.mean().length][];
            for (int slot = 0; slot < mean.length; slot++) {
                mean[slot] = new float[e.mean()[slot].length];
                for (int i = 0; i < mean[slot].length; i++) {
                    mean[slot][i] = (e.residues() * e.mean()[slot][i] + 2 * e.bos()[slot][i]) / (e.residues() + 2);
                }
            }
            return new SequenceEmbedding(e.index(), e.id(), e.residues(), mean, e.bos(), e.perToken(), e.logits(), e.contacts());
        })) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.BF16);
            assertThat(r.passed()).isFalse();
            assertThat(r.worstAt()).startsWith("mean, ");
        }
    }

    @Test
    void aDeviceThatSkipsTheFinalLayerNormIsRefused() {
        // Representation 2 as the raw residual stream (what the first-layers check compared before): the final
        // LayerNorm never ran.
        List<SequenceEmbedding> raw;
        try (CpuEncoder firstLayers = CpuEncoder.firstLayers(small.weights(), 2, 2)) {
            raw = firstLayers.encode(expected.probes(), OutputSpec.of(EnumSet.of(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.BOS),
                    List.of(0, 1, 2), 4));
        }
        try (EncoderDevice d = device(e -> {
            SequenceEmbedding unnormalised = raw.get((int) e.index());
            float[][] perToken = e.perToken().clone();
            float[][] mean = e.mean().clone();
            float[][] bos = e.bos().clone();
            perToken[2] = unnormalised.perToken()[2];
            mean[2] = unnormalised.mean()[2];
            bos[2] = unnormalised.bos()[2];
            return new SequenceEmbedding(e.index(), e.id(), e.residues(), mean, bos, perToken, e.logits(), e.contacts());
        })) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.BF16);
            assertThat(r.passed()).isFalse();
            assertThat(r.worstAt()).contains("representation 2 (final LayerNorm)");
        }
    }

    @Test
    void aDeviceWhoseLmHeadIsWrongIsRefused() {
        // Each position's logits in the next position's row (an off-by-one in the layout), the last row zero.
        try (EncoderDevice d = device(e -> {
            float[] logits = new float[e.logits().length];
            System.arraycopy(e.logits(), 0, logits, Alphabet.SIZE, logits.length - Alphabet.SIZE);
            return new SequenceEmbedding(e.index(), e.id(), e.residues(), e.mean(), e.bos(), e.perToken(), logits, e.contacts());
        })) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.BF16);
            assertThat(r.passed()).isFalse();
            assertThat(r.worstAt()).startsWith("logits, ");
        }
        try (EncoderDevice d = device(e -> new SequenceEmbedding(e.index(), e.id(), e.residues(), e.mean(), e.bos(), e.perToken(), null, null))) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.FP32);
            assertThat(r.passed()).isFalse();
            assertThat(r.worstAt()).startsWith("logits, ");
        }
    }

    @Test
    void notANumberIsTheWorstError() {
        try (EncoderDevice d = device(e -> scaled(e, Float.NaN))) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.BF16);
            assertThat(r.passed()).isFalse();
            assertThat(r.worstError()).isInfinite();
            assertThat(r.worstAt()).contains("NaN");
        }
    }

    @Test
    void aDeviceThatLosesSequencesFails() {
        try (EncoderDevice d = deviceOfLists(all -> all.subList(0, all.size() - 1))) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.FP32);
            assertThat(r.passed()).isFalse();
            assertThat(r.worstAt()).contains("returned 6 results for 7 sequences");
        }
    }

    /**
     * Not a test: the measurement behind {@link DeviceProbe#limit}'s BF16 and FP16 numbers. For each checkpoint
     * directory in {@code -Desm2j.probe.measure=DIR[,DIR...]} (random-weight ones from
     * {@code bench/compare/checkpoint.py}; only the first two layers are read), prints the CPU side's time and
     * the worst relative L2 error of the BF16 and FP16 emulations per output; with {@code -Desm2j.probe.tokens=FILE}
     * also writes the probes' token ids, one sequence a line, for the same measurement of PyTorch.
     */
    @Test
    @EnabledIfSystemProperty(named = "esm2j.probe.measure", matches = ".+")
    void measureSixteenBitErrors() throws IOException {
        int threads = Runtime.getRuntime().availableProcessors();
        String tokensFile = System.getProperty("esm2j.probe.tokens");
        if (tokensFile != null) {
            Files.writeString(Path.of(tokensFile), DeviceProbe.probes().stream()
                    .map(p -> Arrays.stream(p.tokens()).mapToObj(Integer::toString).collect(Collectors.joining(" ")))
                    .collect(Collectors.joining("\n", "", "\n")));
        }
        for (String dir : System.getProperty("esm2j.probe.measure").split(",")) {
            try (EsmModel model = EsmModel.load(dir)) {
                // DeviceProbe.expected, timed by part: packing, the short probes, the long one (a sequence's results
                // do not depend on what it is packed with, so the parts make the same answers).
                long t0 = System.nanoTime();
                EsmWeights shortened = DeviceProbe.shortened(model.weights());
                List<TokenizedSequence> probes = DeviceProbe.probes();
                OutputSpec spec = DeviceProbe.spec(shortened);
                List<SequenceEmbedding> results = new java.util.ArrayList<>();
                long t1;
                long t2;
                try (CpuEncoder cpu = new CpuEncoder(shortened, threads)) {
                    t1 = System.nanoTime();
                    results.addAll(cpu.encode(probes.subList(0, probes.size() - 1), spec));
                    t2 = System.nanoTime();
                    results.addAll(cpu.encode(probes.subList(probes.size() - 1, probes.size()), spec));
                }
                long t3 = System.nanoTime();
                DeviceProbe.Expected reference = new DeviceProbe.Expected(shortened, probes, spec, results);
                System.out.printf(Locale.ROOT, "%s: E=%d, CPU side on %d threads: packing 2 layers %.1f s, the six short probes (%d tokens) %.1f s,"
                                + " the long probe (%d tokens) %.1f s%n", dir, model.config().hiddenSize(), threads, (t1 - t0) / 1e9,
                        reference.tokens() - probes.getLast().length(), (t2 - t1) / 1e9, probes.getLast().length(), (t3 - t2) / 1e9);
                if (Boolean.getBoolean("esm2j.probe.timeOnly")) {
                    continue;
                }
                for (RoundedEncoder.Rounding rounding : List.of(RoundedEncoder.Rounding.BF16, RoundedEncoder.Rounding.FP16)) {
                    List<SequenceEmbedding> got;
                    try (RoundedEncoder emulated = new RoundedEncoder(reference.model(), rounding, threads)) {
                        got = emulated.encode(reference.probes(), reference.spec());
                    }
                    Map<String, Double> worst = new TreeMap<>();
                    for (int s = 0; s < got.size(); s++) {
                        SequenceEmbedding e = reference.results().get(s);
                        SequenceEmbedding g = got.get(s);
                        for (int slot = 0; slot < reference.spec().layerCount(); slot++) {
                            String stage = DeviceProbe.Stage.of(slot, reference.layers()).name();
                            worst.merge(stage + " per-token", DeviceProbe.relativeError(g.perToken()[slot], e.perToken()[slot]), Math::max);
                            worst.merge(stage + " mean", DeviceProbe.relativeError(g.mean()[slot], e.mean()[slot]), Math::max);
                            worst.merge(stage + " bos", DeviceProbe.relativeError(g.bos()[slot], e.bos()[slot]), Math::max);
                        }
                        worst.merge("LOGITS", DeviceProbe.relativeError(g.logits(), e.logits()), Math::max);
                    }
                    System.out.printf(Locale.ROOT, "  %s: %s%n", rounding, worst.entrySet().stream()
                            .map(w -> String.format(Locale.ROOT, "%s %.2e", w.getKey(), w.getValue())).collect(Collectors.joining(", ")));
                }
            }
        }
    }

    static SequenceEmbedding scaled(SequenceEmbedding e, float factor) {
        return new SequenceEmbedding(e.index(), e.id(), e.residues(), scaled(e.mean(), factor), scaled(e.bos(), factor),
                scaled(e.perToken(), factor), scaled(new float[][] {e.logits()}, factor)[0], e.contacts());
    }

    static float[][] scaled(float[][] a, float factor) {
        float[][] out = new float[a.length][];
        for (int slot = 0; slot < a.length; slot++) {
            out[slot] = a[slot].clone();
            for (int i = 0; i < out[slot].length; i++) {
                out[slot][i] *= factor;
            }
        }
        return out;
    }

    static SequenceEmbedding withPerToken(SequenceEmbedding e, int slot, float[] values) {
        float[][] perToken = e.perToken().clone();
        perToken[slot] = values;
        return new SequenceEmbedding(e.index(), e.id(), e.residues(), e.mean(), e.bos(), perToken, e.logits(), e.contacts());
    }
}
