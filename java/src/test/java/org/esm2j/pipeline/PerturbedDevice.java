package org.esm2j.pipeline;

import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.Alphabet;
import org.esm2j.tokens.TokenizedSequence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A device for tests whose errors are known: another device's results (the CPU encoder's, normally), changed per
 * sequence id in ways whose relative L2 error and cosine follow from the arrays alone.
 * <ul>
 *   <li>{@link #scale}: every output of the sequence times {@code factor}: relative error |factor - 1|, cosine 1;</li>
 *   <li>{@link #flipFirstPosition}: the first residue of every per-token layer and the first (BOS) row of the logits
 *       negated: per-token and logits get cosine -1 at that position and error 2·|row| / |array|; mean and BOS stay.</li>
 * </ul>
 */
public final class PerturbedDevice implements EncoderDevice {
    private final EncoderDevice inner;
    private final Map<String, Float> scales = new HashMap<>();
    private final Set<String> flipped = new HashSet<>();

    public PerturbedDevice(EncoderDevice inner) {
        this.inner = inner;
    }

    public PerturbedDevice scale(String id, double factor) {
        scales.put(id, (float) factor);
        return this;
    }

    public PerturbedDevice flipFirstPosition(String id) {
        flipped.add(id);
        return this;
    }

    @Override
    public String id() {
        return "perturbed:" + inner.id();
    }

    @Override
    public String description() {
        return "test double: " + inner.description() + ", perturbed";
    }

    @Override
    public String arithmetic() {
        return "perturbed";
    }

    @Override
    public List<SequenceEmbedding> encode(List<TokenizedSequence> batch, OutputSpec spec) {
        List<SequenceEmbedding> out = new ArrayList<>();
        for (SequenceEmbedding e : inner.encode(batch, spec)) {
            float factor = scales.getOrDefault(e.id(), 1f);
            float[][] perToken = scale(e.perToken(), factor);
            float[] logits = scale(e.logits(), factor);
            if (flipped.contains(e.id())) {
                int width = perToken == null ? 0 : perToken[0].length / e.residues();
                for (float[] layer : perToken == null ? new float[0][] : perToken) {
                    negate(layer, width);
                }
                negate(logits, Alphabet.SIZE);
            }
            out.add(new SequenceEmbedding(e.index(), e.id(), e.residues(), scale(e.mean(), factor), scale(e.bos(), factor), perToken,
                    logits, scale(e.contacts(), factor)));
        }
        return out;
    }

    private static float[][] scale(float[][] perLayer, float factor) {
        if (perLayer == null) {
            return null;
        }
        float[][] out = new float[perLayer.length][];
        for (int i = 0; i < perLayer.length; i++) {
            out[i] = scale(perLayer[i], factor);
        }
        return out;
    }

    private static float[] scale(float[] values, float factor) {
        if (values == null) {
            return null;
        }
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }

    private static void negate(float[] values, int width) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < width; i++) {
            values[i] = -values[i];
        }
    }

    @Override
    public long defaultTokenBudget() {
        return inner.defaultTokenBudget();
    }

    @Override
    public void close() {
        inner.close();
    }
}
