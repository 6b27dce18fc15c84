package org.esm2j.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The zip container of {@code torch.save} (PyTorch 1.6 and later), as PyTorch's own writer lays it out: every record
 * stored uncompressed with its data 64-byte aligned (the local header's extra field is padding of id {@code FB},
 * which lets {@code torch.load(mmap=True)} map tensors in place), in the order {@code data.pkl}, {@code byteorder},
 * {@code data/0} …, {@code version}, {@code .data/serialization_id}, all under one folder ({@code archive/}).
 *
 * <p>Output is deterministic (fixed timestamps, a serialization id derived from the content), so the same results
 * give the same bytes. Files over 4 GiB would need zip64, which this writer does not produce: they are refused ({@link #fits}).
 */
final class TorchArchive {
    static final String ROOT = "archive/";
    static final int ALIGNMENT = 64;
    static final int LOCAL_HEADER = 0x04034b50;
    static final int CENTRAL_HEADER = 0x02014b50;
    static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    /** Bytes of the end-of-central-directory record (no comment): the last bytes of a whole file. */
    static final int END_RECORD_BYTES = 22;
    private static final long ZIP32_LIMIT = 0xFFFFFFFFL;
    private static final int DOS_DATE_1980_01_01 = (1 << 5) | 1;
    /** PyTorch's serialization format version for {@code torch.save} (caffe2/serialize: kMinProducedFileFormatVersion). */
    private static final String VERSION = "3\n";

    private record Entry(String name, long offset, long size, int crc) {
    }

    private TorchArchive() {
    }

    /** About the bytes the file of {@code pickle} and {@code storages} will take (a little more, never less). */
    static long size(byte[] pickle, List<float[]> storages, OutputDtype dtype) {
        long bytes = pickle.length + 4096L; // headers, padding, small records and the central directory
        for (float[] s : storages) {
            bytes += (long) s.length * dtype.bytes() + ALIGNMENT + 100;
        }
        return bytes;
    }

    /** Whether the file fits in a zip without zip64 (4 GiB), each record in one Java array (2 GiB). */
    static boolean fits(byte[] pickle, List<float[]> storages, OutputDtype dtype) {
        for (float[] s : storages) {
            if ((long) s.length * dtype.bytes() > Integer.MAX_VALUE - 64) {
                return false;
            }
        }
        return size(pickle, storages, dtype) < ZIP32_LIMIT;
    }

    /** Writes the archive to {@code file} (created or truncated) and syncs nothing: the caller renames it into place. */
    static void write(Path file, byte[] pickle, List<float[]> storages, OutputDtype dtype) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            List<Entry> entries = new ArrayList<>();
            CRC32 contentHash = new CRC32();
            record(ch, entries, "data.pkl", pickle, contentHash);
            record(ch, entries, "byteorder", "little".getBytes(StandardCharsets.US_ASCII), contentHash);
            for (int i = 0; i < storages.size(); i++) {
                record(ch, entries, "data/" + i, bytes(storages.get(i), dtype), contentHash);
            }
            record(ch, entries, "version", VERSION.getBytes(StandardCharsets.US_ASCII), contentHash);
            // PyTorch writes a decimal id unique to the save; one derived from the content keeps reruns byte-identical.
            String id = String.format("%020d", contentHash.getValue() * 1_000_003L + ch.position());
            record(ch, entries, ".data/serialization_id", id.getBytes(StandardCharsets.US_ASCII), null);
            centralDirectory(ch, entries);
        }
    }

    private static byte[] bytes(float[] values, OutputDtype dtype) {
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == OutputDtype.FLOAT16) {
            for (float v : values) {
                b.putShort(Float.floatToFloat16(v));
            }
        } else {
            b.asFloatBuffer().put(values);
        }
        return b.array();
    }

    private static void record(FileChannel ch, List<Entry> entries, String shortName, byte[] data, CRC32 contentHash) throws IOException {
        byte[] name = (ROOT + shortName).getBytes(StandardCharsets.US_ASCII);
        long offset = ch.position();
        if (offset + data.length + 4096 >= ZIP32_LIMIT) {
            throw new IOException("the file would exceed 4 GiB, which needs zip64");
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        long dataStart = offset + 30 + name.length + 4;
        int padding = (int) ((ALIGNMENT - dataStart % ALIGNMENT) % ALIGNMENT);
        ByteBuffer h = ByteBuffer.allocate(30 + name.length + 4 + padding).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(LOCAL_HEADER).putShort((short) 20).putShort((short) 0).putShort((short) 0) // version needed, flags, stored
                .putShort((short) 0).putShort((short) DOS_DATE_1980_01_01)
                .putInt((int) crc.getValue()).putInt(data.length).putInt(data.length)
                .putShort((short) name.length).putShort((short) (4 + padding)).put(name)
                .put((byte) 'F').put((byte) 'B').putShort((short) padding);
        for (int i = 0; i < padding; i++) {
            h.put((byte) 'Z');
        }
        writeFully(ch, h.flip());
        writeFully(ch, ByteBuffer.wrap(data));
        entries.add(new Entry(ROOT + shortName, offset, data.length, (int) crc.getValue()));
        if (contentHash != null) {
            contentHash.update(h.array());
            contentHash.update(data);
        }
    }

    private static void centralDirectory(FileChannel ch, List<Entry> entries) throws IOException {
        long start = ch.position();
        for (Entry e : entries) {
            byte[] name = e.name().getBytes(StandardCharsets.US_ASCII);
            ByteBuffer c = ByteBuffer.allocate(46 + name.length).order(ByteOrder.LITTLE_ENDIAN);
            c.putInt(CENTRAL_HEADER).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) DOS_DATE_1980_01_01)
                    .putInt(e.crc()).putInt((int) e.size()).putInt((int) e.size())
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0) // extra, comment
                    .putShort((short) 0).putShort((short) 0).putInt(0) // disk, internal and external attributes
                    .putInt((int) e.offset()).put(name);
            writeFully(ch, c.flip());
        }
        long size = ch.position() - start;
        ByteBuffer end = ByteBuffer.allocate(END_RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(END_OF_CENTRAL_DIRECTORY).putShort((short) 0).putShort((short) 0)
                .putShort((short) entries.size()).putShort((short) entries.size())
                .putInt((int) size).putInt((int) start).putShort((short) 0);
        writeFully(ch, end.flip());
    }

    /** Whether {@code file} ends with an end-of-central-directory record (what a write cut short lacks). */
    static boolean looksWhole(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < END_RECORD_BYTES) {
                return false;
            }
            ByteBuffer b = ByteBuffer.allocate(END_RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b, size - END_RECORD_BYTES + b.position()) < 0) {
                    return false;
                }
            }
            b.flip();
            if (b.getInt(0) != END_OF_CENTRAL_DIRECTORY) {
                return false;
            }
            long cdSize = b.getInt(12) & ZIP32_LIMIT;
            long cdStart = b.getInt(16) & ZIP32_LIMIT;
            return cdStart + cdSize == size - END_RECORD_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
