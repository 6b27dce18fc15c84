package org.esm2j.output;

import java.util.Locale;

/** Element type of written embeddings: float32 (default, exact) or float16 (half the disk). */
public enum OutputDtype {
    FLOAT32("<f4", "F32", 4),
    FLOAT16("<f2", "F16", 2);

    private final String npyDescr;
    private final String safetensorsName;
    private final int bytes;

    OutputDtype(String npyDescr, String safetensorsName, int bytes) {
        this.npyDescr = npyDescr;
        this.safetensorsName = safetensorsName;
        this.bytes = bytes;
    }

    public String npyDescr() {
        return npyDescr;
    }

    public String safetensorsName() {
        return safetensorsName;
    }

    public int bytes() {
        return bytes;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
