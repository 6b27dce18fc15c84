package org.esm2j.cpu;

import org.esm2j.model.Alphabet;
import org.esm2j.model.DType;
import org.esm2j.model.EsmConfig;
import org.esm2j.model.EsmWeights;
import org.esm2j.model.LayerWeights;
import org.esm2j.model.OutputKind;
import org.esm2j.model.OutputSpec;
import org.esm2j.model.SequenceEmbedding;
import org.esm2j.model.TensorInfo;
import org.esm2j.model.TokenizedSequence;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The forward pass with the CUDA library's roundings to a 16-bit compute dtype, on the CPU: what a correct
 * BF16 or FP16 GPU computes, give or take summation order. For measuring how far such a device is from the FP32
 * CPU encoder (the GPU self-check's limits) without a GPU.
 *
 * <p>It rounds where {@code cuda/src/encode.cpp} stores in the compute dtype, and nowhere else: the weight
 * matrices and the embedding table; every GEMM's input and output; q, k and v after bias and rotary; the softmax
 * probabilities before P·V (as the flash kernel and cuDNN feed them to the tensor cores) and the attention output;
 * the FFN activation after bias and GELU; the LayerNorm outputs that feed a GEMM. Kept in FP32 as there: the
 * residual stream, biases, LayerNorm parameters, rotary angles, softmax statistics, the final LayerNorm's output
 * (representation L), the LM head's GELU output and the logits. {@link Rounding#NONE} is the plain FP32 maths.
 */
public final class RoundedEncoder implements AutoCloseable {
    /** fair-esm: mask_ratio_train = 0.15 * 0.8. */
    private static final double MASK_RATIO_TRAIN = 0.15 * 0.8;

    /** The compute dtype's rounding (to nearest, ties to even). */
    public enum Rounding {
        NONE,
        BF16,
        FP16;

        float apply(float v) {
            return switch (this) {
                case NONE -> v;
                case BF16 -> {
                    int bits = Float.floatToRawIntBits(v);
                    bits += 0x7fff + ((bits >>> 16) & 1);
                    yield Float.intBitsToFloat(bits & 0xffff0000);
                }
                case FP16 -> Float.float16ToFloat(Float.floatToFloat16(v));
            };
        }

        void apply(float[] a) {
            if (this != NONE) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = apply(a[i]);
                }
            }
        }
    }

    private final EsmConfig config;
    private final Rounding rounding;
    private final WorkerPool pool;
    private final int e;
    private final int heads;
    private final int headDim;
    private final float eps;
    private final float[] embed; // rounded
    private final Layer[] layers;
    private final float[] finalNormWeight;
    private final float[] finalNormBias;
    private final PackedLinear lmDense;     // rounded, no bias
    private final float[] lmDenseBias;
    private final float[] lmNormWeight;
    private final float[] lmNormBias;
    private final PackedLinear lmDecoder;   // rounded embed^T, no bias
    private final float[] lmBias;

    private record Layer(float[] attnNormWeight, float[] attnNormBias, PackedLinear qkv, float[] qkvBias, RotaryTable rotary,
                         PackedLinear out, float[] outBias, float[] ffnNormWeight, float[] ffnNormBias,
                         PackedLinear fc1, float[] fc1Bias, PackedLinear fc2, float[] fc2Bias) {
    }

    /** Every layer of {@code w} (a shortened view for the self-check's model), final LayerNorm and LM head. */
    public RoundedEncoder(EsmWeights w, Rounding rounding, int threads) {
        this.config = w.config();
        this.rounding = rounding;
        this.pool = new WorkerPool(threads);
        this.e = config.hiddenSize();
        this.heads = config.numHeads();
        this.headDim = config.headDim();
        this.eps = (float) config.layerNormEps();
        this.embed = w.embedTokens().toFloatArray();
        rounding.apply(embed);
        this.layers = new Layer[config.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights lw = w.layers().get(l);
            layers[l] = new Layer(lw.attnNormWeight().toFloatArray(), lw.attnNormBias().toFloatArray(),
                    rounded(lw.queryWeight(), lw.keyWeight(), lw.valueWeight()),
                    concat(lw.queryBias().toFloatArray(), lw.keyBias().toFloatArray(), lw.valueBias().toFloatArray()),
                    new RotaryTable(lw.rotaryInvFreq()),
                    rounded(lw.outWeight()), lw.outBias().toFloatArray(),
                    lw.ffnNormWeight().toFloatArray(), lw.ffnNormBias().toFloatArray(),
                    rounded(lw.fc1Weight()), lw.fc1Bias().toFloatArray(),
                    rounded(lw.fc2Weight()), lw.fc2Bias().toFloatArray());
        }
        this.finalNormWeight = w.finalNormWeight().toFloatArray();
        this.finalNormBias = w.finalNormBias().toFloatArray();
        this.lmDense = rounded(w.lmHead().denseWeight());
        this.lmDenseBias = w.lmHead().denseBias().toFloatArray();
        this.lmNormWeight = w.lmHead().normWeight().toFloatArray();
        this.lmNormBias = w.lmHead().normBias().toFloatArray();
        this.lmDecoder = PackedLinear.pack(tensor(embed, config.vocabSize(), e), null);
        this.lmBias = w.lmHead().outputBias().toFloatArray();
    }

    private PackedLinear rounded(TensorInfo... weights) {
        TensorInfo[] r = new TensorInfo[weights.length];
        for (int i = 0; i < weights.length; i++) {
            float[] a = weights[i].toFloatArray();
            rounding.apply(a);
            r[i] = tensor(a, weights[i].shape());
        }
        return PackedLinear.pack(r, null);
    }

    private static TensorInfo tensor(float[] data, long... shape) {
        return new TensorInfo("(rounded)", DType.F32, shape, MemorySegment.ofArray(data), Path.of("(test)"));
    }

    private static float[] concat(float[]... parts) {
        float[] out = new float[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Encodes a batch (representations 0..L, L after the final LayerNorm; logits when asked). */
    public List<SequenceEmbedding> encode(List<TokenizedSequence> batch, OutputSpec spec) {
        int n = batch.size();
        int[] starts = new int[n + 1];
        for (int s = 0; s < n; s++) {
            starts[s + 1] = starts[s] + batch.get(s).length();
        }
        int tokens = starts[n];
        int[] ids = new int[tokens];
        for (int s = 0; s < n; s++) {
            System.arraycopy(batch.get(s).tokens(), 0, ids, starts[s], batch.get(s).length());
        }
        int slots = spec.layerCount();
        float[][][] mean = new float[n][slots][];
        float[][][] bos = new float[n][slots][];
        float[][][] perToken = new float[n][slots][];
        IntFunction<java.util.function.Consumer<float[]>> capture = layer -> x -> {
            int slot = spec.layerSlot(layer);
            if (slot < 0) {
                return;
            }
            for (int s = 0; s < n; s++) {
                int t0 = starts[s];
                int r = batch.get(s).residues();
                float[] m = new float[e];
                for (int t = t0 + 1; t <= t0 + r; t++) {
                    for (int c = 0; c < e; c++) {
                        m[c] += x[t * e + c];
                    }
                }
                for (int c = 0; c < e; c++) {
                    m[c] /= r;
                }
                mean[s][slot] = m;
                bos[s][slot] = Arrays.copyOfRange(x, t0 * e, (t0 + 1) * e);
                perToken[s][slot] = Arrays.copyOfRange(x, (t0 + 1) * e, (t0 + 1 + r) * e);
            }
        };

        float[] x = new float[tokens * e];
        for (int s = 0; s < n; s++) {
            int masked = 0;
            for (int t = starts[s]; t < starts[s + 1]; t++) {
                masked += ids[t] == config.maskTokenId() ? 1 : 0;
            }
            int len = starts[s + 1] - starts[s];
            float scale = config.tokenDropout() ? (float) ((1.0 - MASK_RATIO_TRAIN) / (1.0 - (double) masked / len)) : 1f;
            for (int t = starts[s]; t < starts[s + 1]; t++) {
                if (!(config.tokenDropout() && ids[t] == config.maskTokenId())) {
                    for (int c = 0; c < e; c++) {
                        x[t * e + c] = embed[ids[t] * e + c] * scale;
                    }
                }
            }
        }
        capture.apply(0).accept(x);

        float[] h = new float[tokens * e];
        float[] y = new float[tokens * e];
        float[] qkv = new float[tokens * 3 * e];
        float[] f = new float[tokens * config.intermediateSize()];
        float[] xf = new float[tokens * e];
        CpuKernels.layerNorm(pool, x, h, tokens, e, layers[0].attnNormWeight, layers[0].attnNormBias, eps);
        rounding.apply(h);
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            CpuKernels.linear(pool, h, tokens, layer.qkv, qkv, CpuKernels.Epilogue.STORE);
            rounding.apply(qkv);
            biasRotaryRound(qkv, layer, starts, n);
            attention(qkv, starts, n, h); // h holds the attention output o here
            rounding.apply(h);
            CpuKernels.linear(pool, h, tokens, layer.out, y, CpuKernels.Epilogue.STORE);
            rounding.apply(y);
            addBias(x, y, layer.outBias, tokens);
            CpuKernels.layerNorm(pool, x, h, tokens, e, layer.ffnNormWeight, layer.ffnNormBias, eps);
            rounding.apply(h);
            CpuKernels.linear(pool, h, tokens, layer.fc1, f, CpuKernels.Epilogue.STORE);
            rounding.apply(f);
            int width = config.intermediateSize();
            for (int t = 0; t < tokens; t++) {
                for (int c = 0; c < width; c++) {
                    f[t * width + c] += layer.fc1Bias[c];
                }
            }
            CpuKernels.gelu(f, 0, f.length);
            rounding.apply(f);
            CpuKernels.linear(pool, f, tokens, layer.fc2, y, CpuKernels.Epilogue.STORE);
            rounding.apply(y);
            addBias(x, y, layer.fc2Bias, tokens);
            if (l + 1 < layers.length) {
                CpuKernels.layerNorm(pool, x, h, tokens, e, layers[l + 1].attnNormWeight, layers[l + 1].attnNormBias, eps);
                rounding.apply(h);
                capture.apply(l + 1).accept(x);
            } else {
                CpuKernels.layerNorm(pool, x, xf, tokens, e, finalNormWeight, finalNormBias, eps);
                capture.apply(l + 1).accept(xf);
                System.arraycopy(xf, 0, h, 0, h.length);
                rounding.apply(h);
            }
        }
        float[][] logits = new float[n][];
        if (spec.has(OutputKind.LOGITS)) {
            CpuKernels.linear(pool, h, tokens, lmDense, y, CpuKernels.Epilogue.STORE);
            rounding.apply(y);
            addBias(xf, y, lmDenseBias, tokens, true);
            CpuKernels.gelu(xf, 0, xf.length);
            CpuKernels.layerNorm(pool, xf, h, tokens, e, lmNormWeight, lmNormBias, eps);
            rounding.apply(h);
            float[] all = new float[tokens * Alphabet.SIZE];
            CpuKernels.linear(pool, h, tokens, lmDecoder, all, CpuKernels.Epilogue.STORE);
            for (int t = 0; t < tokens; t++) {
                for (int v = 0; v < Alphabet.SIZE; v++) {
                    all[t * Alphabet.SIZE + v] += lmBias[v];
                }
            }
            for (int s = 0; s < n; s++) {
                logits[s] = Arrays.copyOfRange(all, starts[s] * Alphabet.SIZE, starts[s + 1] * Alphabet.SIZE);
            }
        }
        List<SequenceEmbedding> out = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            TokenizedSequence t = batch.get(s);
            out.add(new SequenceEmbedding(t.index(), t.id(), t.residues(),
                    spec.has(OutputKind.MEAN) ? mean[s] : null, spec.has(OutputKind.BOS) ? bos[s] : null,
                    spec.has(OutputKind.PER_TOK) ? perToken[s] : null, spec.has(OutputKind.LOGITS) ? logits[s] : null, null));
        }
        return out;
    }

    /** x += y + b row by row (the residual add of encode.cpp's add_layernorm, in FP32). */
    private void addBias(float[] x, float[] y, float[] b, int tokens) {
        addBias(x, y, b, tokens, false);
    }

    /** x (=, +=) y + b. */
    private void addBias(float[] x, float[] y, float[] b, int tokens, boolean store) {
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < e; c++) {
                float v = y[t * e + c] + b[c];
                x[t * e + c] = store ? v : x[t * e + c] + v;
            }
        }
    }

    /** qkv += bias; q *= d^-½; rotary on q and k (positions from 0 per sequence); all rounded. */
    private void biasRotaryRound(float[] qkv, Layer layer, int[] starts, int n) {
        int maxLen = 0;
        for (int s = 0; s < n; s++) {
            maxLen = Math.max(maxLen, starts[s + 1] - starts[s]);
        }
        float[][] cs = layer.rotary.upTo(maxLen);
        int half = headDim / 2;
        float scaling = (float) Math.pow(headDim, -0.5);
        int width = 3 * e;
        for (int s = 0; s < n; s++) {
            for (int t = starts[s]; t < starts[s + 1]; t++) {
                int pos = t - starts[s];
                int row = t * width;
                for (int c = 0; c < width; c++) {
                    qkv[row + c] += layer.qkvBias[c];
                }
                for (int c = 0; c < e; c++) {
                    qkv[row + c] *= scaling;
                }
                for (int part = 0; part < 2; part++) {
                    for (int hh = 0; hh < heads; hh++) {
                        int base = row + part * e + hh * headDim;
                        for (int i = 0; i < half; i++) {
                            float c = cs[0][pos * half + i];
                            float sn = cs[1][pos * half + i];
                            float a = qkv[base + i];
                            float b = qkv[base + i + half];
                            qkv[base + i] = a * c - b * sn;
                            qkv[base + i + half] = b * c + a * sn;
                        }
                    }
                }
                for (int c = 0; c < width; c++) {
                    qkv[row + c] = rounding.apply(qkv[row + c]);
                }
            }
        }
    }

    /** o = softmax(q K^T) V per (sequence, head): scores and statistics in FP32, P rounded before P·V. */
    private void attention(float[] qkv, int[] starts, int n, float[] o) {
        int width = 3 * e;
        pool.parallelFor(n * heads, task -> {
            int s = task / heads;
            int hh = task % heads;
            int t0 = starts[s];
            int len = starts[s + 1] - t0;
            float[] p = new float[len];
            float[] acc = new float[headDim];
            for (int i = 0; i < len; i++) {
                int qi = (t0 + i) * width + hh * headDim;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    int kj = (t0 + j) * width + e + hh * headDim;
                    float dot = 0;
                    for (int c = 0; c < headDim; c++) {
                        dot += qkv[qi + c] * qkv[kj + c];
                    }
                    p[j] = dot;
                    max = Math.max(max, dot);
                }
                float sum = 0;
                Arrays.fill(acc, 0);
                for (int j = 0; j < len; j++) {
                    float pj = (float) Math.exp(p[j] - max);
                    sum += pj;
                    float pr = rounding.apply(pj);
                    int vj = (t0 + j) * width + 2 * e + hh * headDim;
                    for (int c = 0; c < headDim; c++) {
                        acc[c] += pr * qkv[vj + c];
                    }
                }
                int oi = (t0 + i) * e + hh * headDim;
                for (int c = 0; c < headDim; c++) {
                    o[oi + c] = acc[c] / sum;
                }
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }
}
