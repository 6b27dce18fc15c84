package org.esm2j.progress;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;

import java.io.OutputStream;

/**
 * Logback's console appender for esm2j (configured in {@code logback.xml}): writes to stderr through
 * {@link Console}, so log lines scroll above the live region while it is shown.
 */
public final class StderrAppender extends OutputStreamAppender<ILoggingEvent> {

    @Override
    public void start() {
        Encoder<ILoggingEvent> encoder = getEncoder();
        if (encoder instanceof LayoutWrappingEncoder<ILoggingEvent> wrapping && wrapping.getCharset() == null) {
            // Match what the terminal decodes (stderr.encoding), not the JVM's default for files.
            wrapping.setCharset(System.err.charset());
        }
        setOutputStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                Console.write(b, off, len);
            }
        });
        super.start();
    }
}
