package org.esm2j.output;

import org.esm2j.Esm2jException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** Writes and reads {@code manifest.json} and the other small JSON files of an output (pretty, UTF-8, synced, replaced atomically). */
public final class Manifest {
    public static final String FILE = "manifest.json";
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final ObjectMapper COMPACT = JsonMapper.builder().build();

    private Manifest() {
    }

    public static void write(Path file, Map<String, Object> content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        try {
            byte[] bytes = (JSON.writeValueAsString(content) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    c.write(b);
                }
                c.force(true); // a manifest marks finished work: it must not reach the disk after the rename that publishes it
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw Esm2jException.badOutput("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) {
        try {
            return JSON.readValue(Files.readString(file), Map.class);
        } catch (IOException e) {
            throw Esm2jException.badOutput("cannot read " + file + ": " + e.getMessage(), e);
        } catch (tools.jackson.core.JacksonException e) {
            throw Esm2jException.badOutput(file + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static String toJson(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** One line, no spaces: for values quoted in messages. */
    public static String toCompactJson(Object value) {
        return COMPACT.writeValueAsString(value);
    }
}
