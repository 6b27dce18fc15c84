package org.esm2j.device.cpu;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.model.EsmConfig;
import org.esm2j.model.EsmWeights;
import org.esm2j.model.LayerWeights;
import org.esm2j.model.TensorInfo;
import org.esm2j.tokens.Alphabet;
import org.esm2j.tokens.TokenizedSequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exact ESM-2 forward pass on the CPU, in FP32: the reference every other backend is checked against.
 *
 * <p>Sequences are packed end to end (no padding): every op but attention works row by row on the packed
 * [tokens, E] matrix, and attention runs per (sequence, head) over that sequence's rows only. What fair-esm
 * computes, step by step:
 * <ol>
 *   <li>x = embed[token]; token dropout: {@code <mask>} rows zeroed, the sequence scaled by
 *       (1 - 0.15·0.8) / (1 - masked/T) with T counting {@code <cls>} and {@code <eos>} (representation 0);</li>
 *   <li>each layer, pre-LN: x += Wo·attn(rotary(q·d^-½), rotary(k), v) + bo; x += W2·gelu(W1·LN(x) + b1) + b2,
 *       attention over the keys of the same sequence, softmax in FP32, rotary half-split with the checkpoint's
 *       inv_freq, positions restarting at 0 for each sequence;</li>
 *   <li>representation L is {@code emb_layer_norm_after}(x); layers below L are the raw residual stream;</li>
 *   <li>logits = LN(gelu(Wd·x + bd))·embed^T + bias (decoder tied to the embeddings);</li>
 *   <li>contacts = sigmoid(w · APC(A + A^T) + b) over every layer's and head's attention map restricted to residues.</li>
 * </ol>
 */
public final class CpuEncoder implements AutoCloseable {
    /** fair-esm: mask_ratio_train = 0.15 * 0.8. */
    private static final double MASK_RATIO_TRAIN = 0.15 * 0.8;

    private final EsmConfig config;
    private final WorkerPool pool;
    private final boolean ownsPool;
    private final int e;
    private final int heads;
    private final int headDim;
    private final float eps;
    private final float[] embed;      // [V, E]
    private final Layer[] layers;
    /** False for {@link #firstLayers}: the last layer computed is not the model's, so no final LayerNorm or heads. */
    private final boolean complete;
    private final float[] finalNormWeight;
    private final float[] finalNormBias;
    private final PackedLinear lmDense;
    private final float[] lmNormWeight;
    private final float[] lmNormBias;
    private final PackedLinear lmDecoder; // embed^T with the LM bias
    private final float[] contactWeight; // [L*H]
    private final float contactBias;

    private record Layer(float[] attnNormWeight, float[] attnNormBias, PackedLinear qkv, RotaryTable rotary,
                         PackedLinear out, float[] ffnNormWeight, float[] ffnNormBias, PackedLinear fc1, PackedLinear fc2) {
    }

    public CpuEncoder(EsmWeights w, int threads) {
        this(w, new WorkerPool(threads), true, w.config().numLayers());
    }

    public CpuEncoder(EsmWeights w, WorkerPool pool) {
        this(w, pool, false, w.config().numLayers());
    }

    /**
     * The first {@code layerCount} layers only (packing just their weights: a fraction of the model's memory):
     * representations 0..layerCount, all raw residual streams unless layerCount is the whole model. For checking
     * another backend's first layers against this one without holding a whole large model twice.
     */
    public static CpuEncoder firstLayers(EsmWeights w, int layerCount, int threads) {
        if (layerCount < 1 || layerCount > w.config().numLayers()) {
            throw new IllegalArgumentException("layerCount must be 1.." + w.config().numLayers() + ", got " + layerCount);
        }
        return new CpuEncoder(w, new WorkerPool(threads), true, layerCount);
    }

    private CpuEncoder(EsmWeights w, WorkerPool pool, boolean ownsPool, int layerCount) {
        VectorSupport.require();
        this.config = w.config();
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.e = config.hiddenSize();
        this.heads = config.numHeads();
        this.headDim = config.headDim();
        this.eps = (float) config.layerNormEps();
        this.embed = w.embedTokens().toFloatArray();
        this.layers = new Layer[layerCount];
        this.complete = layerCount == config.numLayers();
        List<RotaryTable> rotaries = new ArrayList<>();
        for (int l = 0; l < layers.length; l++) {
            LayerWeights lw = w.layers().get(l);
            RotaryTable rotary = rotaries.stream().filter(r -> Arrays.equals(r.invFreq(), lw.rotaryInvFreq())).findFirst().orElse(null);
            if (rotary == null) {
                rotary = new RotaryTable(lw.rotaryInvFreq());
                rotaries.add(rotary);
            }
            layers[l] = new Layer(lw.attnNormWeight().toFloatArray(), lw.attnNormBias().toFloatArray(),
                    PackedLinear.pack(new TensorInfo[] {lw.queryWeight(), lw.keyWeight(), lw.valueWeight()},
                            new TensorInfo[] {lw.queryBias(), lw.keyBias(), lw.valueBias()}),
                    rotary,
                    PackedLinear.pack(lw.outWeight(), lw.outBias()),
                    lw.ffnNormWeight().toFloatArray(), lw.ffnNormBias().toFloatArray(),
                    PackedLinear.pack(lw.fc1Weight(), lw.fc1Bias()),
                    PackedLinear.pack(lw.fc2Weight(), lw.fc2Bias()));
        }
        this.finalNormWeight = w.finalNormWeight().toFloatArray();
        this.finalNormBias = w.finalNormBias().toFloatArray();
        if (complete && w.hasLmHead()) {
            this.lmDense = PackedLinear.pack(w.lmHead().denseWeight(), w.lmHead().denseBias());
            this.lmNormWeight = w.lmHead().normWeight().toFloatArray();
            this.lmNormBias = w.lmHead().normBias().toFloatArray();
            this.lmDecoder = PackedLinear.pack(w.embedTokens(), w.lmHead().outputBias());
        } else {
            this.lmDense = null;
            this.lmNormWeight = null;
            this.lmNormBias = null;
            this.lmDecoder = null;
        }
        if (complete && w.hasContactHead()) {
            this.contactWeight = w.contactHead().regressionWeight().toFloatArray();
            this.contactBias = w.contactHead().regressionBias().toFloatArray()[0];
        } else {
            this.contactWeight = null;
            this.contactBias = 0;
        }
    }

    public EsmConfig config() {
        return config;
    }

    public int threads() {
        return pool.threads();
    }

    public boolean supports(OutputKind kind) {
        return switch (kind) {
            case LOGITS -> lmDecoder != null;
            case CONTACTS -> contactWeight != null;
            default -> true;
        };
    }

    /** Encodes a batch; the results are in the batch's order. */
    public List<SequenceEmbedding> encode(List<TokenizedSequence> batch, OutputSpec spec) {
        for (int layer : spec.layers()) {
            if (layer > layers.length) {
                throw new IllegalArgumentException("representation " + layer + " asked of an encoder of the first " + layers.length + " layers");
            }
        }
        for (OutputKind k : spec.kinds()) {
            if (!supports(k)) {
                throw new InvalidParameterException(Parameter.KINDS, "this checkpoint has no " + (k == OutputKind.LOGITS ? "LM head" : "contact head")
                        + ", so '" + k.cliName() + "' cannot be computed");
            }
        }
        int n = batch.size();
        int[] starts = new int[n + 1];
        for (int s = 0; s < n; s++) {
            starts[s + 1] = Math.addExact(starts[s], batch.get(s).length());
        }
        int tokens = starts[n];
        int[] ids = new int[tokens];
        for (int s = 0; s < n; s++) {
            System.arraycopy(batch.get(s).tokens(), 0, ids, starts[s], batch.get(s).length());
        }
        Results results = new Results(batch, spec, e);

        float[] x = new float[Math.multiplyExact(tokens, e)];
        embed(ids, starts, n, x);
        results.capture(0, x, starts);

        float[] h = new float[tokens * e];
        float[] qkv = new float[Math.multiplyExact(tokens, 3 * e)];
        float[] ffn = new float[Math.multiplyExact(tokens, config.intermediateSize())];
        boolean contacts = spec.has(OutputKind.CONTACTS);
        float[][] maps = contacts ? new float[n][] : null;
        if (contacts) {
            for (int s = 0; s < n; s++) {
                int r = batch.get(s).residues();
                maps[s] = new float[heads * r * r];
                results.contacts[s] = new float[r * r];
            }
        }
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            CpuKernels.layerNorm(pool, x, h, tokens, e, layer.attnNormWeight, layer.attnNormBias, eps);
            CpuKernels.linear(pool, h, tokens, layer.qkv, qkv, CpuKernels.Epilogue.STORE);
            scaleAndRotate(qkv, starts, n, layer.rotary);
            Attention.run(pool, qkv, e, heads, starts, n, h, maps);
            CpuKernels.linear(pool, h, tokens, layer.out, x, CpuKernels.Epilogue.ADD);
            CpuKernels.layerNorm(pool, x, h, tokens, e, layer.ffnNormWeight, layer.ffnNormBias, eps);
            CpuKernels.linear(pool, h, tokens, layer.fc1, ffn, CpuKernels.Epilogue.GELU);
            CpuKernels.linear(pool, ffn, tokens, layer.fc2, x, CpuKernels.Epilogue.ADD);
            if (contacts) {
                accumulateContacts(l, batch, maps, results.contacts);
            }
            if (l + 1 < layers.length || !complete) {
                results.capture(l + 1, x, starts);
            }
        }
        if (complete) {
            CpuKernels.layerNorm(pool, x, h, tokens, e, finalNormWeight, finalNormBias, eps);
            results.capture(layers.length, h, starts);
        }
        if (spec.has(OutputKind.LOGITS)) {
            CpuKernels.linear(pool, h, tokens, lmDense, x, CpuKernels.Epilogue.GELU);
            CpuKernels.layerNorm(pool, x, x, tokens, e, lmNormWeight, lmNormBias, eps);
            float[] logits = new float[Math.multiplyExact(tokens, Alphabet.SIZE)];
            CpuKernels.linear(pool, x, tokens, lmDecoder, logits, CpuKernels.Epilogue.STORE);
            for (int s = 0; s < n; s++) {
                results.logits[s] = Arrays.copyOfRange(logits, starts[s] * Alphabet.SIZE, starts[s + 1] * Alphabet.SIZE);
            }
        }
        if (contacts) {
            for (float[] c : results.contacts) {
                for (int i = 0; i < c.length; i++) {
                    c[i] = (float) (1.0 / (1.0 + Math.exp(-(c[i] + contactBias))));
                }
            }
        }
        return results.build();
    }

    /** Embedding lookup with ESM-2's token-dropout rescaling; padding never exists in a packed batch. */
    private void embed(int[] ids, int[] starts, int n, float[] x) {
        pool.parallelFor(n, s -> {
            int t0 = starts[s];
            int len = starts[s + 1] - t0;
            float scale = 1f;
            if (config.tokenDropout()) {
                int masked = 0;
                for (int t = t0; t < t0 + len; t++) {
                    if (ids[t] == config.maskTokenId()) {
                        masked++;
                    }
                }
                scale = (float) ((1.0 - MASK_RATIO_TRAIN) / (1.0 - (double) masked / len));
            }
            for (int t = t0; t < t0 + len; t++) {
                int id = ids[t];
                if (config.tokenDropout() && id == config.maskTokenId()) {
                    continue; // stays zero
                }
                for (int c = 0; c < e; c++) {
                    x[t * e + c] = embed[id * e + c] * scale;
                }
            }
        });
    }

    /** q *= head_dim^-½, then rotary on q and k (half-split: pairs (i, i + d/2)), positions from 0 per sequence. */
    private void scaleAndRotate(float[] qkv, int[] starts, int n, RotaryTable rotary) {
        int maxLen = 0;
        for (int s = 0; s < n; s++) {
            maxLen = Math.max(maxLen, starts[s + 1] - starts[s]);
        }
        float[][] cs = rotary.upTo(maxLen);
        float[] cos = cs[0];
        float[] sin = cs[1];
        int half = headDim / 2;
        float scaling = (float) Math.pow(headDim, -0.5);
        int width = 3 * e;
        pool.parallelFor(n, s -> {
            for (int t = starts[s]; t < starts[s + 1]; t++) {
                int pos = t - starts[s];
                int row = t * width;
                CpuKernels.scale(qkv, row, e, scaling);
                for (int part = 0; part < 2; part++) { // 0: q, 1: k
                    for (int hh = 0; hh < heads; hh++) {
                        int base = row + part * e + hh * headDim;
                        for (int i = 0; i < half; i++) {
                            float c = cos[pos * half + i];
                            float sn = sin[pos * half + i];
                            float a = qkv[base + i];
                            float b = qkv[base + i + half];
                            qkv[base + i] = a * c - b * sn;
                            qkv[base + i + half] = b * c + a * sn;
                        }
                    }
                }
            }
        });
    }

    /** contacts += Σ_h w[l*H + h] · APC(A_h + A_h^T), heads in order so the sum is deterministic. */
    private void accumulateContacts(int layer, List<TokenizedSequence> batch, float[][] maps, float[][] contacts) {
        pool.parallelFor(batch.size(), s -> {
            int r = batch.get(s).residues();
            float[] m = maps[s];
            float[] c = contacts[s];
            float[] sym = new float[r * r];
            double[] rowSum = new double[r];
            for (int hh = 0; hh < heads; hh++) {
                int base = hh * r * r;
                double total = 0;
                Arrays.fill(rowSum, 0);
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < r; j++) {
                        float v = m[base + i * r + j] + m[base + j * r + i];
                        sym[i * r + j] = v;
                        rowSum[i] += v;
                    }
                    total += rowSum[i];
                }
                float w = contactWeight[layer * heads + hh];
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < r; j++) {
                        // Symmetric, so column sums equal row sums.
                        double apc = sym[i * r + j] - rowSum[i] * rowSum[j] / total;
                        c[i * r + j] += (float) (w * apc);
                    }
                }
            }
        });
    }

    /** Per-sequence output arrays, filled as the layers go by. */
    private final class Results {
        final List<TokenizedSequence> batch;
        final OutputSpec spec;
        final float[][][] mean;
        final float[][][] bos;
        final float[][][] perToken;
        final float[][] logits;
        final float[][] contacts;

        Results(List<TokenizedSequence> batch, OutputSpec spec, int e) {
            this.batch = batch;
            this.spec = spec;
            int n = batch.size();
            int slots = spec.layerCount();
            mean = spec.has(OutputKind.MEAN) ? new float[n][slots][] : null;
            bos = spec.has(OutputKind.BOS) ? new float[n][slots][] : null;
            perToken = spec.has(OutputKind.PER_TOK) ? new float[n][slots][] : null;
            logits = new float[n][];
            contacts = new float[n][];
        }

        void capture(int layer, float[] x, int[] starts) {
            int slot = spec.layerSlot(layer);
            if (slot < 0) {
                return;
            }
            pool.parallelFor(batch.size(), s -> {
                int t0 = starts[s];
                int r = batch.get(s).residues();
                if (mean != null) {
                    float[] m = new float[e];
                    for (int t = t0 + 1; t <= t0 + r; t++) {
                        CpuKernels.axpy(1f, x, t * e, m, 0, e);
                    }
                    CpuKernels.scale(m, 0, e, 1f / r);
                    mean[s][slot] = m;
                }
                if (bos != null) {
                    bos[s][slot] = Arrays.copyOfRange(x, t0 * e, (t0 + 1) * e);
                }
                if (perToken != null) {
                    perToken[s][slot] = Arrays.copyOfRange(x, (t0 + 1) * e, (t0 + 1 + r) * e);
                }
            });
        }

        List<SequenceEmbedding> build() {
            List<SequenceEmbedding> out = new ArrayList<>(batch.size());
            for (int s = 0; s < batch.size(); s++) {
                TokenizedSequence t = batch.get(s);
                out.add(new SequenceEmbedding(t.index(), t.id(), t.residues(),
                        mean == null ? null : mean[s], bos == null ? null : bos[s], perToken == null ? null : perToken[s],
                        logits[s], spec.has(OutputKind.CONTACTS) ? contacts[s] : null));
            }
            return out;
        }
    }

    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
    }
}
