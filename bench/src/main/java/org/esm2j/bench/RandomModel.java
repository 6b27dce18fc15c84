package org.esm2j.bench;

import org.esm2j.model.DType;
import org.esm2j.model.EsmConfig;
import org.esm2j.model.EsmWeights;
import org.esm2j.model.TensorInfo;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random FP32 weights of a published ESM-2 shape, built in memory (no file), bound exactly as a
 * checkpoint would be. Speed does not depend on the values; they are scaled like a trained model's
 * (linear weights ~ U(±1/√in), LayerNorm gains near 1) so activations stay in a normal range
 * (no overflow, no denormals that would slow the arithmetic). Tensors live in native memory, like a
 * memory-mapped checkpoint's, so the CUDA backend can upload them straight from there.
 */
public final class RandomModel {
    private RandomModel() {
    }

    public static EsmWeights weights(ModelShape shape, long seed) {
        EsmConfig c = shape.config();
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, TensorInfo> t = new HashMap<>();
        int e = c.hiddenSize();
        int f = c.intermediateSize();
        int v = c.vocabSize();
        put(t, "esm.embeddings.word_embeddings.weight", uniform(rng, v * e, 1f), v, e);
        float[] invFreq = EsmWeights.computeInvFreq(c.headDim());
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "esm.encoder.layer." + l + ".";
            norm(t, rng, p + "attention.LayerNorm", e);
            for (String qkv : new String[] {"query", "key", "value"}) {
                linear(t, rng, p + "attention.self." + qkv, e, e);
            }
            put(t, p + "attention.self.rotary_embeddings.inv_freq", invFreq.clone(), c.headDim() / 2);
            linear(t, rng, p + "attention.output.dense", e, e);
            norm(t, rng, p + "LayerNorm", e);
            linear(t, rng, p + "intermediate.dense", f, e);
            linear(t, rng, p + "output.dense", e, f);
        }
        norm(t, rng, "esm.encoder.emb_layer_norm_after", e);
        linear(t, rng, "lm_head.dense", e, e);
        norm(t, rng, "lm_head.layer_norm", e);
        put(t, "lm_head.bias", uniform(rng, v, 0.1f), v);
        put(t, "esm.contact_head.regression.weight", uniform(rng, c.numLayers() * c.numHeads(), 0.1f), 1, c.numLayers() * c.numHeads());
        put(t, "esm.contact_head.regression.bias", uniform(rng, 1, 0.1f), 1);
        return EsmWeights.bind(c, t, "random " + shape.label() + " model");
    }

    private static void linear(Map<String, TensorInfo> t, SplittableRandom rng, String prefix, int out, int in) {
        put(t, prefix + ".weight", uniform(rng, out * in, (float) (1 / Math.sqrt(in))), out, in);
        put(t, prefix + ".bias", uniform(rng, out, 0.1f), out);
    }

    private static void norm(Map<String, TensorInfo> t, SplittableRandom rng, String prefix, int e) {
        float[] gain = uniform(rng, e, 0.1f);
        for (int i = 0; i < e; i++) {
            gain[i] += 1f;
        }
        put(t, prefix + ".weight", gain, e);
        put(t, prefix + ".bias", uniform(rng, e, 0.1f), e);
    }

    /** n floats uniform in (-bound, bound). */
    public static float[] uniform(SplittableRandom rng, int n, float bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextDouble(-bound, bound);
        }
        return a;
    }

    private static void put(Map<String, TensorInfo> t, String name, float[] data, long... shape) {
        t.put(name, tensor(name, data, shape));
    }

    /** An F32 tensor in native memory (freed when unreachable), as a checkpoint's would be. */
    public static TensorInfo tensor(String name, float[] data, long... shape) {
        MemorySegment segment = Arena.ofAuto().allocate(ValueLayout.JAVA_FLOAT, data.length);
        MemorySegment.copy(data, 0, segment, ValueLayout.JAVA_FLOAT, 0, data.length);
        return new TensorInfo(name, DType.F32, shape, segment, Path.of("(in memory)"));
    }
}
