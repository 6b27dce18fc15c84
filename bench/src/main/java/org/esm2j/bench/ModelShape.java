package org.esm2j.bench;

import org.esm2j.model.EsmConfig;

/** The published ESM-2 shapes (layers / width / heads; FFN = 4 × width), by their usual short names. */
public enum ModelShape {
    ESM2_8M("8M", 6, 320, 20),
    ESM2_35M("35M", 12, 480, 20),
    ESM2_150M("150M", 30, 640, 20),
    ESM2_650M("650M", 33, 1280, 20),
    ESM2_3B("3B", 36, 2560, 40);

    private final String label;
    private final int layers;
    private final int width;
    private final int heads;

    ModelShape(String label, int layers, int width, int heads) {
        this.label = label;
        this.layers = layers;
        this.width = width;
        this.heads = heads;
    }

    public String label() {
        return label;
    }

    public int layers() {
        return layers;
    }

    public int width() {
        return width;
    }

    public int heads() {
        return heads;
    }

    public int ffn() {
        return 4 * width;
    }

    public EsmConfig config() {
        return new EsmConfig(layers, width, heads, ffn(), 33, 1e-5, true, 32, 1, 1026, "float32");
    }

    /** Accepts "8M", "35M", … (what JMH {@code @Param}s and command lines pass). */
    public static ModelShape of(String label) {
        for (ModelShape s : values()) {
            if (s.label.equalsIgnoreCase(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown model shape '" + label + "'; expected one of 8M, 35M, 150M, 650M, 3B");
    }
}
