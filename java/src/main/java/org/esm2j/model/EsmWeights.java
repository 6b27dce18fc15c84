package org.esm2j.model;

import org.esm2j.Esm2jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every tensor of an ESM-2 checkpoint, found by its model-hub name and checked against the config.
 *
 * <p>Keys are accepted with or without the {@code esm.} prefix ({@code EsmForMaskedLM} vs {@code EsmModel});
 * {@code LayerNorm.gamma/beta} (written by some transformers 5.x versions) are read as weight/bias;
 * {@code position_ids} is ignored; the LM head decoder is tied to the embeddings. The rotary
 * {@code inv_freq} is taken from the checkpoint when it is there, because published checkpoints store it
 * rounded to fp16 and recomputing it shifts angles by up to 0.07 rad at position 1000.
 */
public record EsmWeights(
        EsmConfig config,
        TensorInfo embedTokens,        // [V, E]  also the tied LM decoder
        List<LayerWeights> layers,
        TensorInfo finalNormWeight,    // [E]  emb_layer_norm_after
        TensorInfo finalNormBias,      // [E]
        LmHead lmHead,                 // null when the checkpoint has no LM head (EsmModel)
        ContactHead contactHead) {     // null when absent

    private static final Logger LOG = LoggerFactory.getLogger(EsmWeights.class);

    public record LmHead(TensorInfo denseWeight,  // [E, E]
                         TensorInfo denseBias,    // [E]
                         TensorInfo normWeight,   // [E]
                         TensorInfo normBias,     // [E]
                         TensorInfo outputBias) { // [V]
    }

    public record ContactHead(TensorInfo regressionWeight, // [1, L*H]
                              TensorInfo regressionBias) { // [1]
    }

    public boolean hasLmHead() {
        return lmHead != null;
    }

    public boolean hasContactHead() {
        return contactHead != null;
    }

    /**
     * The same checkpoint cut short after its first {@code layerCount} layers: those layers, then the final
     * LayerNorm and the LM head as the whole model applies them after its last layer. Nothing is copied (the
     * tensors are the same mapped slices); the contact head is left out, since its weights span every layer's
     * heads. Every backend builds this shortened model as it builds a whole one, so the GPU start-up check can
     * compare the final LayerNorm, the pooling and the LM head of a device with the CPU's at the cost of two
     * layers ({@code DeviceProbe}).
     */
    public EsmWeights firstLayers(int layerCount) {
        if (layerCount < 1 || layerCount > config.numLayers()) {
            throw new IllegalArgumentException("layerCount must be 1.." + config.numLayers() + ", got " + layerCount);
        }
        EsmConfig c = config;
        EsmConfig shortened = new EsmConfig(layerCount, c.hiddenSize(), c.numHeads(), c.intermediateSize(), c.vocabSize(),
                c.layerNormEps(), c.tokenDropout(), c.maskTokenId(), c.padTokenId(), c.maxPositions(), c.storedDtype());
        return new EsmWeights(shortened, embedTokens, List.copyOf(layers.subList(0, layerCount)), finalNormWeight, finalNormBias, lmHead, null);
    }

    public static EsmWeights bind(EsmConfig config, Map<String, TensorInfo> tensors, String where) {
        var finder = new Finder(tensors, where);
        int e = config.hiddenSize();
        int f = config.intermediateSize();
        int v = config.vocabSize();
        TensorInfo embed = finder.require("embeddings.word_embeddings.weight", v, e);
        float[] sharedInvFreq = finder.optionalFloats("rotary_embeddings.inv_freq", config.headDim() / 2);
        boolean computedInvFreq = false;
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < config.numLayers(); l++) {
            String p = "encoder.layer." + l + ".";
            float[] invFreq = finder.optionalFloats(p + "attention.self.rotary_embeddings.inv_freq", config.headDim() / 2);
            if (invFreq == null) {
                invFreq = finder.optionalFloats("encoder.layer.*.attention.self.rotary_embeddings.inv_freq", config.headDim() / 2);
            }
            if (invFreq == null) {
                invFreq = sharedInvFreq;
            }
            if (invFreq == null) {
                invFreq = computeInvFreq(config.headDim());
                computedInvFreq = true;
            }
            layers.add(new LayerWeights(
                    finder.norm(p + "attention.LayerNorm", "weight", e), finder.norm(p + "attention.LayerNorm", "bias", e),
                    finder.require(p + "attention.self.query.weight", e, e), finder.require(p + "attention.self.query.bias", e),
                    finder.require(p + "attention.self.key.weight", e, e), finder.require(p + "attention.self.key.bias", e),
                    finder.require(p + "attention.self.value.weight", e, e), finder.require(p + "attention.self.value.bias", e),
                    invFreq,
                    finder.require(p + "attention.output.dense.weight", e, e), finder.require(p + "attention.output.dense.bias", e),
                    finder.norm(p + "LayerNorm", "weight", e), finder.norm(p + "LayerNorm", "bias", e),
                    finder.require(p + "intermediate.dense.weight", f, e), finder.require(p + "intermediate.dense.bias", f),
                    finder.require(p + "output.dense.weight", e, f), finder.require(p + "output.dense.bias", e)));
        }
        if (computedInvFreq) {
            LOG.info("{}: no rotary inv_freq in the checkpoint; computed 1/10000^(2i/{})", where, config.headDim());
        }
        LmHead lm = null;
        if (finder.has("lm_head.dense.weight")) {
            lm = new LmHead(finder.require("lm_head.dense.weight", e, e), finder.require("lm_head.dense.bias", e),
                    finder.norm("lm_head.layer_norm", "weight", e), finder.norm("lm_head.layer_norm", "bias", e),
                    finder.require("lm_head.bias", v));
        }
        ContactHead contact = null;
        if (finder.has("contact_head.regression.weight")) {
            contact = new ContactHead(finder.require("contact_head.regression.weight", 1, (long) config.numLayers() * config.numHeads()),
                    finder.require("contact_head.regression.bias", 1));
        }
        finder.checkWeightDtypes();
        return new EsmWeights(config, embed, List.copyOf(layers),
                finder.norm("encoder.emb_layer_norm_after", "weight", e), finder.norm("encoder.emb_layer_norm_after", "bias", e),
                lm, contact);
    }

    /** fair-esm's RotaryEmbedding: 1 / 10000^(arange(0, d, 2) / d). */
    public static float[] computeInvFreq(int headDim) {
        float[] f = new float[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (1.0 / Math.pow(10000.0, (2.0 * i) / headDim));
        }
        return f;
    }

    /** Looks tensors up under both naming conventions and checks their shapes. */
    private static final class Finder {
        private final Map<String, TensorInfo> tensors;
        private final String where;
        private final TreeSet<String> used = new TreeSet<>();

        Finder(Map<String, TensorInfo> tensors, String where) {
            this.tensors = tensors;
            this.where = where;
        }

        boolean has(String key) {
            return lookup(key) != null;
        }

        private TensorInfo lookup(String key) {
            TensorInfo t = tensors.get("esm." + key);
            return t != null ? t : tensors.get(key);
        }

        TensorInfo norm(String prefix, String kind, long size) {
            TensorInfo t = lookup(prefix + "." + kind);
            if (t == null) {
                t = lookup(prefix + "." + (kind.equals("weight") ? "gamma" : "beta"));
            }
            if (t == null) {
                throw missing(prefix + "." + kind);
            }
            return checkShape(t, size);
        }

        TensorInfo require(String key, long... shape) {
            TensorInfo t = lookup(key);
            if (t == null) {
                throw missing(key);
            }
            return checkShape(t, shape);
        }

        float[] optionalFloats(String key, int size) {
            TensorInfo t = lookup(key);
            if (t == null) {
                return null;
            }
            checkShape(t, size);
            return t.toFloatArray();
        }

        private TensorInfo checkShape(TensorInfo t, long... shape) {
            if (!Arrays.equals(t.shape(), shape)) {
                throw Esm2jException.badModel(t.file() + ": tensor '" + t.name() + "' has shape " + t.shapeString()
                        + " but config.json implies " + Arrays.toString(shape) + "; config.json and the weights disagree");
            }
            used.add(t.name());
            return t;
        }

        private Esm2jException missing(String key) {
            return Esm2jException.badModel(where + ": tensor 'esm." + key + "' (or '" + key + "') is missing; "
                    + "is this an ESM-2 checkpoint matching its config.json?");
        }

        void checkWeightDtypes() {
            for (String name : used) {
                TensorInfo t = tensors.get(name);
                if (!t.dtype().isWeightType()) {
                    throw Esm2jException.badModel(t.file() + ": tensor '" + name + "' has dtype " + t.dtype()
                            + "; weights must be F32, F16 or BF16");
                }
            }
        }
    }
}
