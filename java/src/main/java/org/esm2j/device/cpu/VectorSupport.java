package org.esm2j.device.cpu;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;

/**
 * The CPU kernels use the Vector API, an incubator module that the JVM resolves only when asked to
 * ({@code --add-modules jdk.incubator.vector}). Without it the first kernel class fails to load with a
 * {@code NoClassDefFoundError} deep in a stack; this says what to do instead, before any kernel class is touched.
 */
public final class VectorSupport {
    static final String MODULE = "jdk.incubator.vector";

    private VectorSupport() {
    }

    /** Whether this JVM was started with the Vector API module. */
    public static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** Throws, in one sentence, when the Vector API module is missing. */
    public static void require() {
        if (!available()) {
            throw new Esm2jException(ExitCode.DEVICE_FAILURE, "the CPU encoder needs the Vector API, which this JVM was started without:"
                    + " add --add-modules " + MODULE + " to the java command (bin/esm2j does) or to your build tool's JVM options");
        }
    }

    /** The width of the preferred float vector, for descriptions ({@link #require} first). */
    static int preferredBits() {
        return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
