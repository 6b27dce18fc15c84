package org.esm2j.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams one C-order {@code .npy} array to disk, row by row, without knowing the row count in advance.
 *
 * <p>The header (NPY format 1.0) is written first with a placeholder shape, padded to a fixed
 * {@value #HEADER_BYTES} bytes so that the real shape can be written over it at the end without moving
 * the data. {@code numpy.load(path, mmap_mode="r")} opens the result.
 */
public final class NpyArrayWriter implements AutoCloseable {
    static final int HEADER_BYTES = 128;
    /** Copies at least this large go file-to-file in the kernel (copy_file_range) instead of through the buffer. */
    private static final long LARGE_COPY = 1 << 20;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private final Path path;
    private final String descr;
    private final int elementBytes;
    private final long[] rowShape; // trailing dimensions; empty for 1-D arrays
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private long rows;
    private boolean finished;

    private NpyArrayWriter(Path path, String descr, int elementBytes, long[] rowShape) throws IOException {
        this.path = path;
        this.descr = descr;
        this.elementBytes = elementBytes;
        this.rowShape = rowShape.clone();
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        this.buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        channel.write(ByteBuffer.wrap(header(0)));
    }

    /** A float array of rows with the given trailing shape (e.g. {E}), stored as {@code dtype}. */
    public static NpyArrayWriter floats(Path path, OutputDtype dtype, long... rowShape) throws IOException {
        return new NpyArrayWriter(path, dtype.npyDescr(), dtype.bytes(), rowShape);
    }

    /** A 1-D int64 array (offsets). */
    public static NpyArrayWriter longs(Path path) throws IOException {
        return new NpyArrayWriter(path, "<i8", 8, new long[0]);
    }

    public Path path() {
        return path;
    }

    public long rows() {
        return rows;
    }

    public int elementBytes() {
        return elementBytes;
    }

    public long[] shape() {
        long[] s = new long[rowShape.length + 1];
        s[0] = rows;
        System.arraycopy(rowShape, 0, s, 1, rowShape.length);
        return s;
    }

    private long rowElements() {
        return ArrayLayout.product(rowShape, 0);
    }

    /** Appends {@code count} values as rows (count must be a multiple of the row size). */
    public void append(float[] values, int offset, int count) throws IOException {
        long per = rowElements();
        if (count % per != 0) {
            throw new IllegalArgumentException(count + " values are not a whole number of rows of " + per);
        }
        boolean half = elementBytes == 2;
        for (int i = 0; i < count; i++) {
            if (buffer.remaining() < 4) {
                flush();
            }
            if (half) {
                buffer.putShort(Float.floatToFloat16(values[offset + i]));
            } else {
                buffer.putFloat(values[offset + i]);
            }
        }
        rows += count / per;
    }

    public void append(float[] values) throws IOException {
        append(values, 0, values.length);
    }

    /**
     * Appends {@code rows} rows copied byte for byte from {@code source} (which must hold elements of this
     * array's type and row size): the fast path used to join parts and shards without decoding floats.
     */
    public void appendRows(NpyArrayReader source, long rows) throws IOException {
        if (!source.descr().equals(descr) || source.rowElements() != rowElements()) {
            throw new IllegalArgumentException(source.path() + " (" + source.descr() + ", " + source.rowElements()
                    + " per row) cannot be appended to " + path + " (" + descr + ", " + rowElements() + " per row)");
        }
        long bytes = rows * rowElements() * elementBytes;
        if (bytes >= LARGE_COPY) {
            flush();
            source.transferTo(channel, bytes);
        } else {
            source.copyInto(buffer, bytes, this::flush);
        }
        this.rows += rows;
    }

    /** Appends one int64 element of a 1-D array. */
    public void appendLong(long value) throws IOException {
        if (buffer.remaining() < 8) {
            flush();
        }
        buffer.putLong(value);
        rows++;
    }

    void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** Writes the final shape into the header and syncs to disk. */
    public void finish() throws IOException {
        flush();
        channel.write(ByteBuffer.wrap(header(rows)), 0);
        channel.force(true);
        channel.close();
        finished = true;
    }

    private byte[] header(long rowCount) {
        StringBuilder shape = new StringBuilder("(").append(rowCount);
        if (rowShape.length == 0) {
            shape.append(",");
        }
        for (long d : rowShape) {
            shape.append(", ").append(d);
        }
        shape.append(")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int headerLen = HEADER_BYTES - MAGIC.length - 2;
        if (dict.length() + 1 > headerLen) {
            throw new IllegalStateException("npy header too long for " + path);
        }
        byte[] out = new byte[HEADER_BYTES];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[8] = (byte) (headerLen & 0xff);
        out[9] = (byte) (headerLen >> 8);
        byte[] d = dict.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(d, 0, out, 10, d.length);
        for (int i = 10 + d.length; i < HEADER_BYTES - 1; i++) {
            out[i] = ' ';
        }
        out[HEADER_BYTES - 1] = '\n';
        return out;
    }

    /** Closes without finishing (the file is left as it is: the caller deletes it). */
    @Override
    public void close() throws IOException {
        if (!finished && channel.isOpen()) {
            channel.close();
        }
    }
}
