package org.esm2j.input;

import org.esm2j.Esm2jException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cheap identity of an input file, to tell on resume whether it is still the same input: its size and the
 * SHA-256 of its first and last megabyte.
 *
 * <p>Content rather than path and modification time, because cluster jobs often copy their input to node-local
 * scratch first ({@code cp} without {@code -p} changes both). Reading 2 MB costs milliseconds even on a
 * network file system. An edit that keeps the size and touches neither end goes unnoticed here, but the
 * resumed run also compares every id it skips with the ids already written.
 *
 * @param path         as given (informational: never compared)
 * @param size         bytes
 * @param sampleSha256 hex SHA-256 of the first and last {@value #SAMPLE_BYTES} bytes (the whole file when smaller)
 */
public record InputFingerprint(String path, long size, String sampleSha256) {
    static final int SAMPLE_BYTES = 1 << 20;

    /** The fingerprint of {@code input}, or null for standard input ({@code -}), which cannot be read twice. */
    public static InputFingerprint of(String input) {
        if (input.equals("-")) {
            return null;
        }
        Path path = Path.of(input);
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = c.size();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            digest(c, 0, Math.min(size, SAMPLE_BYTES), sha);
            long tailStart = Math.max(SAMPLE_BYTES, size - SAMPLE_BYTES);
            digest(c, tailStart, size - tailStart, sha);
            return new InputFingerprint(input, size, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw Esm2jException.badInput(input + ": cannot read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digest(FileChannel c, long from, long length, MessageDigest sha) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, length));
        while (b.hasRemaining()) {
            if (c.read(b, from + b.position()) < 0) {
                break;
            }
        }
        sha.update(b.flip());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("size", size);
        m.put("sample_sha256", sampleSha256);
        return m;
    }

    public static InputFingerprint fromMap(Map<?, ?> m) {
        if (m == null) {
            return null;
        }
        return new InputFingerprint(String.valueOf(m.get("path")), ((Number) m.get("size")).longValue(), String.valueOf(m.get("sample_sha256")));
    }

    /** Same content as far as this fingerprint can tell (the path may differ). */
    public boolean sameContent(InputFingerprint other) {
        return other != null && size == other.size && sampleSha256.equals(other.sampleSha256);
    }
}
