package org.esm2j.device;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;

import java.util.Locale;

/**
 * How a device computes attention, where it has a choice (a GPU: the CUDA library's backends).
 *
 * <p>{@link #AUTO} is not a backend but the default choice: the scheduler times the batch it sized with each backend
 * the device offers (bar the reference kernel) and keeps the faster, cached with the batch size. The others force a
 * backend, for benchmarking or to rule one out: {@code ESM2J_ATTENTION=flash|cudnn|reference|auto}.
 */
public enum AttentionBackend {
    AUTO("auto"),
    /** The hand-written tensor-core online-softmax kernel (FP32: a SIMT kernel). */
    FLASH("flash"),
    /** cuDNN's fused attention (BF16/FP16 only, when cuDNN is loadable). */
    CUDNN("cudnn"),
    /** The simplest correct kernel: one thread per query row, FP32 maths. Never chosen by measurement. */
    REFERENCE("reference");

    /** The environment variable that forces a backend (or {@code auto}). */
    public static final String ENVIRONMENT = "ESM2J_ATTENTION";

    private final String cliName;

    AttentionBackend(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * {@code flash}, {@code cudnn}, {@code reference} or {@code auto}, any case.
     *
     * @param what how the error names the source, just before the value: {@code "ESM2J_ATTENTION="}
     */
    public static AttentionBackend parse(String name, String what) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (AttentionBackend b : values()) {
            if (b.cliName.equals(n)) {
                return b;
            }
        }
        throw new Esm2jException(ExitCode.USAGE, what + name + ": expected auto, flash, cudnn or reference");
    }

    /** The choice in {@link #ENVIRONMENT}, {@link #AUTO} when it is unset or blank. */
    public static AttentionBackend fromEnvironment() {
        String value = System.getenv(ENVIRONMENT);
        return value == null || value.isBlank() ? AUTO : parse(value, ENVIRONMENT + "=");
    }
}
