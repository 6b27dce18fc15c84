package org.esm2j.output;

import org.esm2j.Esm2jException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a C-order little-endian {@code .npy} array (float32, float16 or int64) sequentially from the start
 * of its data: decoded ({@link #readFloats}, {@link #readLong}) or as raw bytes into a writer
 * ({@link NpyArrayWriter#appendRows}). The header is checked against the file size, so a truncated array
 * is reported before anything is copied from it.
 */
public final class NpyArrayReader implements AutoCloseable {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Called when the destination buffer of {@link #copyInto} is full. */
    @FunctionalInterface
    interface Drain {
        void run() throws IOException;
    }

    private final Path path;
    private final FileChannel channel;
    private final String descr;
    private final int elementBytes;
    private final long[] shape;
    private final ByteBuffer buffer;
    private long position; // file offset of the next byte not yet in the buffer

    private NpyArrayReader(Path path, int bufferBytes) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(head, 0);
            head.flip();
            byte[] magic = new byte[6];
            head.get(magic);
            if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
                throw bad("not a .npy file (no NUMPY magic)");
            }
            int major = head.get() & 0xff;
            head.get();
            long headerLen;
            int prefix;
            if (major == 1) {
                headerLen = head.getShort() & 0xffff;
                prefix = 10;
            } else if (major == 2 || major == 3) {
                headerLen = head.getInt() & 0xffffffffL;
                prefix = 12;
            } else {
                throw bad("unsupported .npy version " + major);
            }
            ByteBuffer dictBytes = ByteBuffer.allocate((int) headerLen);
            readFully(dictBytes, prefix);
            String dict = new String(dictBytes.array(), StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(dict);
            Matcher f = FORTRAN.matcher(dict);
            Matcher s = SHAPE.matcher(dict);
            if (!d.find() || !f.find() || !s.find()) {
                throw bad("unreadable .npy header: " + dict.strip());
            }
            if (f.group(1).equals("True")) {
                throw bad("Fortran-order arrays are not read");
            }
            this.descr = d.group(1);
            this.elementBytes = switch (descr) {
                case "<f4" -> 4;
                case "<f2" -> 2;
                case "<i8" -> 8;
                default -> throw bad("element type " + descr + " is not one esm2j writes (<f4, <f2, <i8)");
            };
            this.shape = Arrays.stream(s.group(1).split(",")).map(String::strip).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
            this.position = prefix + headerLen;
            long expected = position + elements() * elementBytes;
            if (channel.size() != expected) {
                throw bad("holds " + channel.size() + " bytes but its header (shape " + Arrays.toString(shape) + ") needs " + expected
                        + ": the file is truncated or was not finished");
            }
            this.buffer = ByteBuffer.allocateDirect(bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
            buffer.flip();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Opens {@code path} with a read buffer of {@code bufferBytes} (small when many arrays are read at once). */
    public static NpyArrayReader open(Path path, int bufferBytes) {
        try {
            return new NpyArrayReader(path, Math.max(64, bufferBytes));
        } catch (IOException e) {
            throw Esm2jException.badOutput("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private Esm2jException bad(String why) {
        return Esm2jException.badOutput(path + ": " + why);
    }

    private void readFully(ByteBuffer dst, long at) throws IOException {
        while (dst.hasRemaining()) {
            if (channel.read(dst, at + dst.position()) < 0) {
                throw bad("ends inside its header");
            }
        }
    }

    public Path path() {
        return path;
    }

    public String descr() {
        return descr;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    public long rowElements() {
        return ArrayLayout.product(shape, 1);
    }

    private long elements() {
        return ArrayLayout.product(shape, 0);
    }

    private void ensure(int bytes) throws IOException {
        if (buffer.remaining() >= bytes) {
            return;
        }
        buffer.compact();
        while (buffer.position() < bytes) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw bad("ends early");
            }
            position += n;
        }
        buffer.flip();
    }

    /** The next {@code count} elements of a float array, as float32. */
    public float[] readFloats(int count) throws IOException {
        float[] out = new float[count];
        boolean half = elementBytes == 2;
        for (int i = 0; i < count; i++) {
            ensure(elementBytes);
            out[i] = half ? Float.float16ToFloat(buffer.getShort()) : buffer.getFloat();
        }
        return out;
    }

    /** The next element of an int64 array. */
    public long readLong() throws IOException {
        ensure(8);
        return buffer.getLong();
    }

    /** The last element of an int64 array (read in place; the sequential position does not move). */
    public long lastLong() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(b, channel.size() - 8);
        return b.flip().getLong();
    }

    /** Moves the next {@code bytes} bytes into {@code dst}, running {@code drain} whenever it is full. */
    void copyInto(ByteBuffer dst, long bytes, Drain drain) throws IOException {
        long left = bytes;
        while (left > 0) {
            if (!buffer.hasRemaining()) {
                ensure(1);
            }
            if (!dst.hasRemaining()) {
                drain.run();
            }
            int n = (int) Math.min(left, Math.min(buffer.remaining(), dst.remaining()));
            ByteBuffer slice = buffer.slice(buffer.position(), n);
            dst.put(slice);
            buffer.position(buffer.position() + n);
            left -= n;
        }
    }

    /** Moves the next {@code bytes} bytes to {@code target} at its current position, file to file where the OS can. */
    void transferTo(WritableByteChannel target, long bytes) throws IOException {
        long left = bytes;
        while (left > 0 && buffer.hasRemaining()) {
            int n = (int) Math.min(left, buffer.remaining());
            ByteBuffer slice = buffer.slice(buffer.position(), n);
            while (slice.hasRemaining()) {
                target.write(slice);
            }
            buffer.position(buffer.position() + n);
            left -= n;
        }
        while (left > 0) {
            long n = channel.transferTo(position, left, target);
            if (n <= 0) {
                throw bad("ends early");
            }
            position += n;
            left -= n;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only: nothing to lose.
        }
    }
}
