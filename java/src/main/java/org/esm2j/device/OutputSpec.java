package org.esm2j.device;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a run produces: which kinds, and for the per-layer kinds which representation layers.
 *
 * @param kinds  at least one kind
 * @param layers resolved layer numbers, 0..L ascending (0 = scaled embeddings, L = after the final LayerNorm)
 */
public record OutputSpec(Set<OutputKind> kinds, int[] layers) {

    public OutputSpec {
        if (kinds.isEmpty()) {
            throw new InvalidParameterException(Parameter.KINDS, "nothing to output: {kinds} needs at least one of mean, per_tok, bos, logits, contacts");
        }
        kinds = java.util.Collections.unmodifiableSet(EnumSet.copyOf(kinds));
        layers = layers.clone();
    }

    /**
     * fair-esm's {@code --repr_layers} semantics: negative numbers count from the end (-1 = last layer);
     * duplicates collapse; the result is sorted.
     */
    public static OutputSpec of(Set<OutputKind> kinds, List<Integer> reprLayers, int numLayers) {
        TreeSet<Integer> resolved = new TreeSet<>();
        for (int l : reprLayers) {
            int r = l < 0 ? numLayers + 1 + l : l;
            if (r < 0 || r > numLayers) {
                throw new InvalidParameterException(Parameter.LAYERS, "{layers} " + l + " is out of range: this model has layers 0.." + numLayers
                        + " (or -" + (numLayers + 1) + "..-1 counting from the end)");
            }
            resolved.add(r);
        }
        boolean needsLayers = kinds.stream().anyMatch(OutputKind::perLayer);
        if (needsLayers && resolved.isEmpty()) {
            throw new InvalidParameterException(Parameter.LAYERS, "{layers} is empty but mean, per_tok or bos was asked for");
        }
        return new OutputSpec(kinds, needsLayers ? resolved.stream().mapToInt(Integer::intValue).toArray() : new int[0]);
    }

    public boolean has(OutputKind kind) {
        return kinds.contains(kind);
    }

    /** Floats of {@code kind} for {@code rows} rows: each layer's copy for a per-layer kind, one copy otherwise. */
    public long floats(OutputKind kind, long rows, int hidden) {
        return (kind.perLayer() ? layers.length : 1) * rows * kind.rowFloats(hidden);
    }

    /** Floats one sequence of {@code residues} residues produces, over every kind asked for. */
    public long floatsPerSequence(int residues, int hidden) {
        long floats = 0;
        for (OutputKind kind : kinds) {
            floats += floats(kind, kind.rows(residues), hidden);
        }
        return floats;
    }

    /** Position of {@code layer} in {@link #layers()}, or -1. */
    public int layerSlot(int layer) {
        return Arrays.binarySearch(layers, layer) >= 0 ? Arrays.binarySearch(layers, layer) : -1;
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    public int layerCount() {
        return layers.length;
    }

    public int layer(int slot) {
        return layers[slot];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputSpec s && s.kinds.equals(kinds) && Arrays.equals(s.layers, layers);
    }

    @Override
    public int hashCode() {
        return kinds.hashCode() * 31 + Arrays.hashCode(layers);
    }

    @Override
    public String toString() {
        return "OutputSpec" + kinds + " layers " + Arrays.toString(layers);
    }
}
