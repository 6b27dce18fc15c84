package org.esm2j.device.cpu;

import org.esm2j.TestData;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.model.EsmModel;
import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CPU encoder gives the same bits whether its code is interpreted, C1-compiled (the Vector API's Java fallbacks)
 * or C2-compiled (intrinsics): otherwise the first batches of every process differ from later ones, and a resumed
 * run cannot equal an uninterrupted one. Compared here: a fresh JVM limited to C1 against this JVM after warm-up.
 */
class JitInvarianceTest {
    @TempDir
    Path tmp;

    static List<TokenizedSequence> batch() {
        Random r = new Random(17);
        Tokenizer tok = new Tokenizer(Tokenizer.DEFAULT_TRUNCATION);
        List<TokenizedSequence> out = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 3 + r.nextInt(60);
            for (int j = 0; j < len; j++) {
                sb.append("LAGVSERTIDPKQNFYMHWC".charAt(r.nextInt(20)));
            }
            out.add(tok.tokenize(i, "s" + i, sb));
        }
        return out;
    }

    static List<SequenceEmbedding> encode(int repeats) {
        try (EsmModel model = EsmModel.load(TestData.tiny().toString()); CpuEncoder encoder = new CpuEncoder(model.weights(), 2)) {
            OutputSpec spec = OutputSpec.of(EnumSet.allOf(OutputKind.class), List.of(0, 1, 2), model.config().numLayers());
            List<SequenceEmbedding> last = null;
            for (int i = 0; i < repeats; i++) {
                last = encoder.encode(batch(), spec);
            }
            return last;
        }
    }

    static List<float[]> flatten(List<SequenceEmbedding> embs) {
        List<float[]> out = new ArrayList<>();
        for (SequenceEmbedding e : embs) {
            for (float[][] perLayer : List.of(e.mean(), e.bos(), e.perToken())) {
                out.addAll(List.of(perLayer));
            }
            out.add(e.logits());
            out.add(e.contacts());
        }
        return out;
    }

    /** Child JVM: encodes the batch once, cold, and writes every float. */
    public static void main(String[] args) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[0])))) {
            List<float[]> arrays = flatten(encode(1));
            out.writeInt(arrays.size());
            for (float[] a : arrays) {
                out.writeInt(a.length);
                for (float v : a) {
                    out.writeInt(Float.floatToRawIntBits(v));
                }
            }
        }
    }

    @Test
    void coldC1AndWarmC2GiveTheSameBits() throws Exception {
        Path file = tmp.resolve("cold.bin");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), JitInvarianceTest.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("child.log"))).isZero();

        List<float[]> warm = flatten(encode(200));
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            assertThat(in.readInt()).isEqualTo(warm.size());
            for (int i = 0; i < warm.size(); i++) {
                float[] w = warm.get(i);
                assertThat(in.readInt()).isEqualTo(w.length);
                for (int j = 0; j < w.length; j++) {
                    int cold = in.readInt();
                    if (cold != Float.floatToRawIntBits(w[j])) {
                        throw new AssertionError("array " + i + " element " + j + ": cold C1 " + Float.intBitsToFloat(cold) + ", warm C2 " + w[j]);
                    }
                }
            }
        }
    }
}
