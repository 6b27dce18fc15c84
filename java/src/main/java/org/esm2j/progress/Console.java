package org.esm2j.progress;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Where stderr text goes: straight to stderr, or above the live region while one is shown. Logback's console
 * appender ({@link StderrAppender}) writes here; while the region is shown {@code System.err} is routed here
 * too, so that a stray {@code printStackTrace} or a library's warning scrolls above the region instead of
 * tearing through it.
 */
public final class Console {
    private static volatile LiveRegion region;
    private static volatile PrintStream originalErr;
    private static volatile boolean progressLines;

    private Console() {
    }

    /** Log text (whole lines) for stderr. */
    public static void write(byte[] bytes, int offset, int length) {
        LiveRegion r = region;
        if (r != null) {
            r.printAbove(bytes, offset, length);
        } else {
            PrintStream err = System.err;
            err.write(bytes, offset, length);
            err.flush();
        }
    }

    /** Whether the periodic progress lines belong on stderr now (they always go to the log file). */
    public static boolean showsProgressLines() {
        return progressLines && region == null;
    }

    static void showProgressLines(boolean show) {
        progressLines = show;
    }

    /** Routes stderr output through {@code live} until {@link #detach}. */
    static synchronized void attach(LiveRegion live) {
        if (region != null) {
            throw new IllegalStateException("a live region is already shown");
        }
        originalErr = System.err;
        region = live;
        System.setErr(new PrintStream(new LineRouter(live), true, originalErr.charset()));
    }

    /** Ends the routing started by {@link #attach}; text held for an unfinished line is written out. */
    static synchronized void detach(LiveRegion live) {
        if (region != live) {
            return;
        }
        PrintStream routed = System.err;
        region = null;
        System.setErr(originalErr);
        routed.close();
        originalErr = null;
    }

    /** Collects bytes into whole lines and hands each to the region, so that a line is never split by a redraw. */
    private static final class LineRouter extends OutputStream {
        private final LiveRegion live;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        LineRouter(LiveRegion live) {
            this.live = live;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    pending.write(b, start, i + 1 - start);
                    emit();
                    start = i + 1;
                }
            }
            pending.write(b, start, off + len - start);
        }

        @Override
        public synchronized void close() {
            if (pending.size() > 0) {
                emit();
            }
        }

        private void emit() {
            byte[] line = pending.toByteArray();
            pending.reset();
            live.printAbove(line, 0, line.length);
        }
    }
}
