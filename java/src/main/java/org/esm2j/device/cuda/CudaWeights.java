package org.esm2j.device.cuda;

import org.esm2j.device.cuda.ffi.Esm2jH;
import org.esm2j.device.cuda.ffi.esm2j_model_config;
import org.esm2j.model.EsmConfig;
import org.esm2j.model.EsmWeights;
import org.esm2j.model.LayerWeights;
import org.esm2j.model.TensorInfo;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The weight upload of a {@link CudaDevice}: the C ABI's model configuration and size, and every tensor of a
 * checkpoint into a created model (F32, F16 or BF16 as stored; the library converts on the device).
 */
final class CudaWeights {
    private final MemorySegment model;
    private final String id;

    private CudaWeights(MemorySegment model, String id) {
        this.model = model;
        this.id = id;
    }

    /** The C ABI's model configuration for {@code config} in {@code dtype}. */
    static MemorySegment modelConfig(Arena arena, EsmConfig config, ComputeDtype dtype) {
        MemorySegment cfg = esm2j_model_config.allocate(arena);
        esm2j_model_config.num_layers(cfg, config.numLayers());
        esm2j_model_config.hidden_size(cfg, config.hiddenSize());
        esm2j_model_config.num_heads(cfg, config.numHeads());
        esm2j_model_config.intermediate_size(cfg, config.intermediateSize());
        esm2j_model_config.vocab_size(cfg, config.vocabSize());
        esm2j_model_config.layer_norm_eps(cfg, (float) config.layerNormEps());
        esm2j_model_config.token_dropout(cfg, config.tokenDropout() ? 1 : 0);
        esm2j_model_config.mask_token_id(cfg, config.maskTokenId());
        esm2j_model_config.compute_dtype(cfg, dtype.abiCode());
        return cfg;
    }

    /** Device bytes the weights of {@code config} take in {@code dtype} (no GPU needed). */
    static long weightBytes(EsmConfig config, ComputeDtype dtype) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment bytes = tmp.allocate(ValueLayout.JAVA_LONG);
            Cuda.esm(Esm2jH.esm2j_model_bytes(modelConfig(tmp, config, dtype), bytes), "cuda", "sizing the weights (" + dtype.cliName() + ")");
            return bytes.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Uploads every tensor of {@code w} into {@code model} (created, not finalized) and finalizes it. */
    static void upload(MemorySegment model, String id, EsmConfig config, EsmWeights w) {
        new CudaWeights(model, id).uploadAll(config, w);
    }

    private void uploadAll(EsmConfig config, EsmWeights w) {
        upload(Esm2jH.ESM2J_T_EMBED(), -1, w.embedTokens());
        for (int l = 0; l < config.numLayers(); l++) {
            LayerWeights lw = w.layers().get(l);
            upload(Esm2jH.ESM2J_T_ATTN_LN_W(), l, lw.attnNormWeight());
            upload(Esm2jH.ESM2J_T_ATTN_LN_B(), l, lw.attnNormBias());
            upload(Esm2jH.ESM2J_T_Q_W(), l, lw.queryWeight());
            upload(Esm2jH.ESM2J_T_Q_B(), l, lw.queryBias());
            upload(Esm2jH.ESM2J_T_K_W(), l, lw.keyWeight());
            upload(Esm2jH.ESM2J_T_K_B(), l, lw.keyBias());
            upload(Esm2jH.ESM2J_T_V_W(), l, lw.valueWeight());
            upload(Esm2jH.ESM2J_T_V_B(), l, lw.valueBias());
            uploadFloats(Esm2jH.ESM2J_T_ROTARY_INV_FREQ(), l, lw.rotaryInvFreq(), "rotary inv_freq of layer " + l);
            upload(Esm2jH.ESM2J_T_O_W(), l, lw.outWeight());
            upload(Esm2jH.ESM2J_T_O_B(), l, lw.outBias());
            upload(Esm2jH.ESM2J_T_FFN_LN_W(), l, lw.ffnNormWeight());
            upload(Esm2jH.ESM2J_T_FFN_LN_B(), l, lw.ffnNormBias());
            upload(Esm2jH.ESM2J_T_FC1_W(), l, lw.fc1Weight());
            upload(Esm2jH.ESM2J_T_FC1_B(), l, lw.fc1Bias());
            upload(Esm2jH.ESM2J_T_FC2_W(), l, lw.fc2Weight());
            upload(Esm2jH.ESM2J_T_FC2_B(), l, lw.fc2Bias());
        }
        upload(Esm2jH.ESM2J_T_FINAL_LN_W(), -1, w.finalNormWeight());
        upload(Esm2jH.ESM2J_T_FINAL_LN_B(), -1, w.finalNormBias());
        int e = config.hiddenSize();
        if (w.hasLmHead()) {
            upload(Esm2jH.ESM2J_T_LM_DENSE_W(), -1, w.lmHead().denseWeight());
            upload(Esm2jH.ESM2J_T_LM_DENSE_B(), -1, w.lmHead().denseBias());
            upload(Esm2jH.ESM2J_T_LM_LN_W(), -1, w.lmHead().normWeight());
            upload(Esm2jH.ESM2J_T_LM_LN_B(), -1, w.lmHead().normBias());
            upload(Esm2jH.ESM2J_T_LM_BIAS(), -1, w.lmHead().outputBias());
        } else {
            // The ABI requires every tensor before finalize; a checkpoint without an LM head never gets logits asked (the command refuses).
            uploadFloats(Esm2jH.ESM2J_T_LM_DENSE_W(), -1, new float[e * e], "absent LM head (zeros)");
            uploadFloats(Esm2jH.ESM2J_T_LM_DENSE_B(), -1, new float[e], "absent LM head (zeros)");
            uploadFloats(Esm2jH.ESM2J_T_LM_LN_W(), -1, new float[e], "absent LM head (zeros)");
            uploadFloats(Esm2jH.ESM2J_T_LM_LN_B(), -1, new float[e], "absent LM head (zeros)");
            uploadFloats(Esm2jH.ESM2J_T_LM_BIAS(), -1, new float[config.vocabSize()], "absent LM head (zeros)");
        }
        Cuda.esm(Esm2jH.esm2j_model_finalize(model), id, "finalizing the model");
    }

    private void upload(int tensor, int layer, TensorInfo t) {
        int src = switch (t.dtype()) {
            case F32 -> Esm2jH.ESM2J_DTYPE_F32();
            case F16 -> Esm2jH.ESM2J_DTYPE_F16();
            case BF16 -> Esm2jH.ESM2J_DTYPE_BF16();
            default -> throw new IllegalStateException(t.file() + ": tensor " + t.name() + " has dtype " + t.dtype());
        };
        Cuda.esm(Esm2jH.esm2j_model_set_tensor(model, tensor, layer, src, t.data(), t.numel()), id,
                "uploading tensor " + t.name() + " " + t.shapeString() + " " + t.dtype() + " from " + t.file());
    }

    private void uploadFloats(int tensor, int layer, float[] values, String what) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment seg = tmp.allocateFrom(ValueLayout.JAVA_FLOAT, values);
            Cuda.esm(Esm2jH.esm2j_model_set_tensor(model, tensor, layer, Esm2jH.ESM2J_DTYPE_F32(), seg, values.length), id,
                    "uploading " + what);
        }
    }
}
