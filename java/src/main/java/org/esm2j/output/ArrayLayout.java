package org.esm2j.output;

import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The arrays of an npy dataset for one {@link OutputSpec}, in a fixed order (the order of files in the manifest).
 *
 * <p>Per-sequence arrays (mean, bos) have one row per sequence. Variable-length outputs (per_tok, logits,
 * contacts) are one concatenated array whose rows for sequence {@code i} are {@code offsets[i] .. offsets[i+1]}
 * of their offsets array ({@code [sequences + 1]} int64, starting at 0).
 */
public record ArrayLayout(List<Array> arrays) {

    /**
     * One array of the dataset.
     *
     * @param name        file stem and manifest key ({@code mean.33}, {@code per_tok.offsets})
     * @param kind        mean, bos, per_tok, logits, contacts or offsets
     * @param layer       representation layer, or -1 for kinds without one
     * @param slot        position of {@code layer} in the spec's layers (index into {@code SequenceEmbedding.mean()} …), or -1
     * @param rowShape    trailing dimensions ({@code [E]}, {@code [33]}, or empty for 1-D arrays)
     * @param offsetsName for variable-length data: the offsets array that indexes it; null otherwise
     */
    public record Array(String name, String kind, int layer, int slot, long[] rowShape, String offsetsName) {

        public boolean isOffsets() {
            return kind.equals("offsets");
        }

        public String file() {
            return name + ".npy";
        }

        /** Elements per row. */
        public long rowElements() {
            return product(rowShape, 0);
        }
    }

    public ArrayLayout {
        arrays = List.copyOf(arrays);
    }

    /** The product of {@code dims[from..]}: elements per row of an array of that shape. */
    static long product(long[] dims, int from) {
        long n = 1;
        for (int i = from; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    public Array get(String name) {
        for (Array a : arrays) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("no array " + name);
    }

    public static ArrayLayout of(OutputSpec spec, int hidden) {
        List<Array> a = new ArrayList<>();
        for (int slot = 0; slot < spec.layerCount(); slot++) {
            int layer = spec.layer(slot);
            if (spec.has(OutputKind.MEAN)) {
                a.add(new Array("mean." + layer, "mean", layer, slot, OutputKind.MEAN.rowShape(hidden), null));
            }
            if (spec.has(OutputKind.BOS)) {
                a.add(new Array("bos." + layer, "bos", layer, slot, OutputKind.BOS.rowShape(hidden), null));
            }
            if (spec.has(OutputKind.PER_TOK)) {
                a.add(new Array("per_tok." + layer, "per_tok", layer, slot, OutputKind.PER_TOK.rowShape(hidden), "per_tok.offsets"));
            }
        }
        if (spec.has(OutputKind.PER_TOK)) {
            a.add(new Array("per_tok.offsets", "offsets", -1, -1, new long[0], null));
        }
        if (spec.has(OutputKind.LOGITS)) {
            a.add(new Array("logits", "logits", -1, -1, OutputKind.LOGITS.rowShape(hidden), "logits.offsets"));
            a.add(new Array("logits.offsets", "offsets", -1, -1, new long[0], null));
        }
        if (spec.has(OutputKind.CONTACTS)) {
            a.add(new Array("contacts", "contacts", -1, -1, OutputKind.CONTACTS.rowShape(hidden), "contacts.offsets"));
            a.add(new Array("contacts.offsets", "offsets", -1, -1, new long[0], null));
        }
        return new ArrayLayout(a);
    }
}
