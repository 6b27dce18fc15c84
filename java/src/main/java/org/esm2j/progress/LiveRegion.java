package org.esm2j.progress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * A few lines kept at the bottom of a terminal, redrawn in place, with other output scrolling above them.
 *
 * <p>The region is drawn right below the last output with the cursor parked at the end of its last line; a
 * redraw moves up to its first line, erases to the end of the screen and writes the new lines, all in one
 * write, so the terminal never shows a half-drawn frame. Output for above the region (log lines) erases the
 * region, writes the text and redraws the region below it. Unlike a scroll region (what JLine's {@code Status}
 * uses) nothing changes the terminal's modes: if the process is killed outright the terminal is left with a
 * few stale lines, not a broken scroll area. The cursor is hidden while the region is shown and shown again by
 * {@link #close()}, which the shutdown hook also reaches on Ctrl-C.
 *
 * <p>Lines wider than the terminal would wrap and break the arithmetic, so each is cut to the width less one
 * column. When the terminal narrows, terminals that reflow have wrapped the lines already drawn; the erase
 * counts those rows again at the new width.
 */
final class LiveRegion {
    private static final String CSI = "\033[";
    private static final String HIDE_CURSOR = CSI + "?25l";
    private static final String SHOW_CURSOR = CSI + "?25h";
    private static final String ERASE_BELOW = CSI + "J";

    private final ReentrantLock lock = new ReentrantLock();
    private final OutputStream out;
    private final IntSupplier columns;
    private final Charset charset;
    private List<String> lines = List.of();
    /** Terminal columns of each line as drawn, to count the rows they take at the current width. */
    private int[] drawnWidths = new int[0];
    private int drawnColumns;
    private boolean cursorHidden;
    private boolean closed;

    LiveRegion(OutputStream out, IntSupplier columns, Charset charset) {
        this.out = out;
        this.columns = columns;
        this.charset = charset;
    }

    /** Current width, at least 2 (a width of 1 leaves no room for anything once the last column is spared). */
    int width() {
        int w = columns.getAsInt();
        return w > 1 ? w : 80;
    }

    /** Replaces the region's lines; writes nothing when neither they nor the width changed. */
    void show(List<String> newLines) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            int w = width();
            if (newLines.equals(lines) && w == drawnColumns) {
                return;
            }
            lines = List.copyOf(newLines);
            StringBuilder frame = new StringBuilder();
            if (!cursorHidden) {
                frame.append(HIDE_CURSOR);
                cursorHidden = true;
            }
            erase(frame, w);
            draw(frame, w);
            write(frame.toString().getBytes(charset));
        } finally {
            lock.unlock();
        }
    }

    /** Writes {@code text} (whole lines) above the region; after {@link #close()} it is written as it is. */
    void printAbove(byte[] text, int offset, int length) {
        lock.lock();
        try {
            if (closed || drawnWidths.length == 0) {
                write(text, offset, length);
                return;
            }
            int w = width();
            ByteArrayOutputStream frame = new ByteArrayOutputStream(length + 256);
            StringBuilder before = new StringBuilder();
            erase(before, w);
            frame.writeBytes(before.toString().getBytes(charset));
            frame.write(text, offset, length);
            if (length == 0 || text[offset + length - 1] != '\n') {
                frame.write('\n');
            }
            StringBuilder after = new StringBuilder();
            draw(after, w);
            frame.writeBytes(after.toString().getBytes(charset));
            write(frame.toByteArray());
        } finally {
            lock.unlock();
        }
    }

    /** Erases the region and shows the cursor; later output goes straight through. Safe to call twice. */
    void close() {
        lock.lock();
        try {
            restore();
        } finally {
            lock.unlock();
        }
    }

    /**
     * For the shutdown hook: like {@link #close()}, but a thread stuck writing (a terminal paused with Ctrl-S)
     * must not hang the exit, so after a short wait the cursor is restored without the lock.
     */
    void closeOnExit() {
        boolean locked = false;
        try {
            locked = lock.tryLock(300, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (locked) {
                restore();
            } else {
                write((SHOW_CURSOR).getBytes(charset));
            }
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }

    boolean closed() {
        return closed;
    }

    private void restore() {
        if (closed) {
            return;
        }
        closed = true;
        StringBuilder frame = new StringBuilder();
        erase(frame, width());
        if (cursorHidden) {
            frame.append(SHOW_CURSOR);
            cursorHidden = false;
        }
        if (!frame.isEmpty()) {
            write(frame.toString().getBytes(charset));
        }
        lines = List.of();
    }

    /** Moves from the parked cursor to the region's first column and erases everything below. */
    private void erase(StringBuilder frame, int w) {
        if (drawnWidths.length == 0) {
            return;
        }
        int rows = 0;
        for (int lineWidth : drawnWidths) {
            rows += Math.max(1, (lineWidth + w - 1) / w);
        }
        frame.append('\r');
        if (rows > 1) {
            frame.append(CSI).append(rows - 1).append('A');
        }
        frame.append(ERASE_BELOW);
        drawnWidths = new int[0];
    }

    private void draw(StringBuilder frame, int w) {
        int[] widths = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String line = Text.cut(lines.get(i), w - 1);
            widths[i] = Text.width(line);
            if (i > 0) {
                frame.append('\n');
            }
            frame.append(line);
        }
        drawnWidths = widths;
        drawnColumns = w;
    }

    private void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    private void write(byte[] bytes, int offset, int length) {
        try {
            out.write(bytes, offset, length);
            out.flush();
        } catch (IOException e) {
            // stderr gone (terminal closed): nothing useful left to do with progress output.
        }
    }
}
