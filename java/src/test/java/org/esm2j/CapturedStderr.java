package org.esm2j;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Swaps {@code System.err} for a buffer until closed (logs and progress go there, not to picocli's writers). */
public final class CapturedStderr implements AutoCloseable {
    private final PrintStream real = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    public CapturedStderr() {
        System.setErr(stream);
    }

    /** The stream that replaced {@code System.err}. */
    public PrintStream stream() {
        return stream;
    }

    public String text() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    public void reset() {
        synchronized (buffer) {
            buffer.reset();
        }
    }

    @Override
    public void close() {
        System.setErr(real);
    }
}
