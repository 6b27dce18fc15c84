package org.esm2j.run;

import org.esm2j.TestData;
import org.esm2j.cpu.CpuEncoder;
import org.esm2j.cuda.ComputeDtype;
import org.esm2j.model.EsmModel;
import org.esm2j.model.OutputSpec;
import org.esm2j.model.SequenceEmbedding;
import org.esm2j.model.TokenizedSequence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The GPU start-up check, with a simulated device standing in for the GPU (the maths of a CPU encoder). */
class DeviceProbeTest {
    static EsmModel small; // 4 layers: the check runs 2 of them
    static DeviceProbe.Expected expected;

    @BeforeAll
    static void load() {
        small = EsmModel.load(TestData.small().toString());
        expected = DeviceProbe.expected(small.weights(), 2);
    }

    @AfterAll
    static void close() {
        small.close();
    }

    /** A device that computes exactly, then lets {@code corrupt} change each result it hands back. */
    static EncoderDevice device(UnaryOperator<SequenceEmbedding> corrupt) {
        return deviceOfLists(results -> results.stream().map(corrupt).toList());
    }

    /** A device that computes exactly, then lets {@code corrupt} change the list of results it hands back. */
    static EncoderDevice deviceOfLists(UnaryOperator<List<SequenceEmbedding>> corrupt) {
        SimulatedDevice exact = new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 1L << 30), small.weights());
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

    @Test
    void theFirstLayersEncoderGivesTheFullEncodersNumbersForThoseLayers() {
        OutputSpec spec = DeviceProbe.spec(2, small.config().numLayers());
        List<TokenizedSequence> probes = DeviceProbe.probes();
        try (CpuEncoder full = new CpuEncoder(small.weights(), 2); CpuEncoder first = CpuEncoder.firstLayers(small.weights(), 2, 2)) {
            List<SequenceEmbedding> a = full.encode(probes, spec);
            List<SequenceEmbedding> b = first.encode(probes, spec);
            for (int s = 0; s < probes.size(); s++) {
                for (int slot = 0; slot < 3; slot++) {
                    assertThat(b.get(s).perToken()[slot]).isEqualTo(a.get(s).perToken()[slot]);
                    assertThat(b.get(s).bos()[slot]).isEqualTo(a.get(s).bos()[slot]);
                }
            }
            assertThatThrownBy(() -> first.encode(probes, DeviceProbe.spec(3, small.config().numLayers())))
                    .hasMessageContaining("representation 3").hasMessageContaining("first 2 layers");
        }
    }

    @Test
    void probesCoverASingleResidueBothSidesOfTheAttentionTilesAMaskAndAnUnknownLetter() {
        List<TokenizedSequence> probes = DeviceProbe.probes();
        assertThat(probes).extracting(TokenizedSequence::residues).contains(1, 31, 33, 64, 65, 130);
        assertThat(probes).anySatisfy(p -> assertThat(p.tokens()).contains(org.esm2j.model.Alphabet.MASK));
        assertThat(probes).anySatisfy(p -> assertThat(p.unknownLetters()).isEqualTo(1));
        assertThat(DeviceProbe.probes()).as("the same probes every time").extracting(p -> java.util.Arrays.toString(p.tokens()))
                .isEqualTo(probes.stream().map(p -> java.util.Arrays.toString(p.tokens())).toList());
    }

    @Test
    void anExactDevicePasses() {
        try (EncoderDevice d = device(e -> e)) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.FP32);
            assertThat(r.passed()).as(r.describe()).isTrue();
            assertThat(r.worstError()).isZero();
            assertThat(r.layers()).isEqualTo(2);
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
        // One sequence's last representation wrong: what a broken single-token or late-layer path would do.
        try (EncoderDevice d = device(e -> e.residues() == 1 ? withPerToken(e, 2, new float[e.perToken()[2].length]) : e)) {
            DeviceProbe.Result r = DeviceProbe.check(d, expected, ComputeDtype.BF16);
            assertThat(r.passed()).isFalse();
            assertThat(r.worstError()).isEqualTo(1.0);
            assertThat(r.describe()).contains("per-token, sequence of 1 residues, representation 2", "limit 2e-02");
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
            assertThat(r.worstAt()).contains("returned 5 results for 6 sequences");
        }
    }

    static SequenceEmbedding scaled(SequenceEmbedding e, float factor) {
        float[][] perToken = new float[e.perToken().length][];
        float[][] bos = new float[e.bos().length][];
        for (int slot = 0; slot < perToken.length; slot++) {
            perToken[slot] = e.perToken()[slot].clone();
            bos[slot] = e.bos()[slot].clone();
            for (int i = 0; i < perToken[slot].length; i++) {
                perToken[slot][i] *= factor;
            }
            for (int i = 0; i < bos[slot].length; i++) {
                bos[slot][i] *= factor;
            }
        }
        return new SequenceEmbedding(e.index(), e.id(), e.residues(), e.mean(), bos, perToken, e.logits(), e.contacts());
    }

    static SequenceEmbedding withPerToken(SequenceEmbedding e, int slot, float[] values) {
        float[][] perToken = e.perToken().clone();
        perToken[slot] = values;
        return new SequenceEmbedding(e.index(), e.id(), e.residues(), e.mean(), e.bos(), perToken, e.logits(), e.contacts());
    }
}
