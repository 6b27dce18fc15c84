package org.esm2j.model;

/**
 * The tensors of one transformer layer (E = hidden size, F = intermediate size, d = head dim).
 * Linear weights are PyTorch's [out, in], row-major.
 */
public record LayerWeights(
        TensorInfo attnNormWeight,  // [E]  self_attn_layer_norm
        TensorInfo attnNormBias,    // [E]
        TensorInfo queryWeight,     // [E, E]
        TensorInfo queryBias,       // [E]
        TensorInfo keyWeight,       // [E, E]
        TensorInfo keyBias,         // [E]
        TensorInfo valueWeight,     // [E, E]
        TensorInfo valueBias,       // [E]
        float[] rotaryInvFreq,      // [d/2] from the checkpoint (fp16-rounded in published ones), else computed
        TensorInfo outWeight,       // [E, E]
        TensorInfo outBias,         // [E]
        TensorInfo ffnNormWeight,   // [E]  final_layer_norm
        TensorInfo ffnNormBias,     // [E]
        TensorInfo fc1Weight,       // [F, E]
        TensorInfo fc1Bias,         // [F]
        TensorInfo fc2Weight,       // [E, F]
        TensorInfo fc2Bias) {       // [E]
}
