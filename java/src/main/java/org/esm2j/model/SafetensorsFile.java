package org.esm2j.model;

import org.esm2j.Esm2jException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file, memory-mapped whole through FFM (no 2 GB limit, nothing copied onto the heap).
 *
 * <p>Format: an 8-byte little-endian header length N, N bytes of JSON
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}}, then the data;
 * offsets are relative to the start of the data. The header is validated before any offset is trusted:
 * lengths past the end of the file, offsets out of range or overlapping, shapes whose element count
 * overflows or does not match the byte length, and unknown dtypes are all errors naming the file and tensor.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Headers are small JSON; anything beyond this is a corrupt or hostile file, not a checkpoint. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Pages read ahead at a time by {@link #pageIn}, between checks of its stop signal. */
    private static final long PAGE_IN_CHUNK = 64L << 20;

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapped;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Arena arena, MemorySegment mapped, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.arena = arena;
        this.mapped = mapped;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw Esm2jException.badModel(path + ": not a safetensors file (" + size + " bytes, shorter than the 8-byte header length)");
            }
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLength = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw Esm2jException.badModel(path + ": safetensors header length " + Long.toUnsignedString(headerLength)
                        + " runs past the end of the " + size + "-byte file; the file is truncated or not safetensors (download it again)");
            }
            byte[] headerBytes = file.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = file.asSlice(8 + headerLength);
            var parsed = parseHeader(path, new String(headerBytes, StandardCharsets.UTF_8), data);
            return new SafetensorsFile(path, arena, file, parsed.tensors, parsed.metadata);
        } catch (NoSuchFileException e) {
            arena.close();
            throw Esm2jException.badModel(path + ": file not found");
        } catch (AccessDeniedException e) {
            arena.close();
            throw Esm2jException.badModel(path + ": permission denied");
        } catch (IOException e) {
            arena.close();
            throw Esm2jException.badModel(path + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    }

    private static Header parseHeader(Path path, String json, MemorySegment data) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw Esm2jException.badModel(path + ": safetensors header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw Esm2jException.badModel(path + ": safetensors header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        List<String> rangeNames = new ArrayList<>();
        for (var entry : root.properties()) {
            String name = entry.getKey();
            JsonNode t = entry.getValue();
            if (name.equals("__metadata__")) {
                if (t.isObject()) {
                    for (var m : t.properties()) {
                        metadata.put(m.getKey(), m.getValue().asString());
                    }
                }
                continue;
            }
            String where = path + ": tensor '" + name + "'";
            if (!t.isObject() || !t.has("dtype") || !t.has("shape") || !t.has("data_offsets")) {
                throw Esm2jException.badModel(where + " lacks dtype, shape or data_offsets");
            }
            String dtypeName = t.get("dtype").asString();
            DType dtype = DType.fromSafetensorsName(dtypeName).orElseThrow(() -> Esm2jException.badModel(
                    where + " has unknown dtype '" + dtypeName + "' (esm2j reads F32, F16, BF16 weights)"));
            JsonNode shapeNode = t.get("shape");
            if (!shapeNode.isArray()) {
                throw Esm2jException.badModel(where + ": shape is not a list");
            }
            long[] shape = new long[shapeNode.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                    throw Esm2jException.badModel(where + ": shape " + shapeNode + " holds a negative or non-integer dimension");
                }
                shape[i] = d.asLong();
                try {
                    numel = Math.multiplyExact(numel, shape[i]);
                } catch (ArithmeticException e) {
                    throw Esm2jException.badModel(where + ": shape " + shapeNode + " overflows a 64-bit element count");
                }
            }
            JsonNode offsets = t.get("data_offsets");
            if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
                throw Esm2jException.badModel(where + ": data_offsets must be [begin, end]");
            }
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            if (begin < 0 || end < begin || end > data.byteSize()) {
                throw Esm2jException.badModel(where + ": data_offsets [" + begin + ", " + end + "] lie outside the "
                        + data.byteSize() + " data bytes of the file; the file is truncated or corrupt (download it again)");
            }
            long expectedBytes;
            try {
                expectedBytes = Math.multiplyExact(numel, dtype.bytes());
            } catch (ArithmeticException e) {
                throw Esm2jException.badModel(where + ": shape " + shapeNode + " overflows a 64-bit byte count");
            }
            if (end - begin != expectedBytes) {
                throw Esm2jException.badModel(where + ": shape " + shapeNode + " of " + dtype + " needs " + expectedBytes
                        + " bytes but data_offsets give " + (end - begin));
            }
            ranges.add(new long[] {begin, end});
            rangeNames.add(name);
            tensors.put(name, new TensorInfo(name, dtype, shape, data.asSlice(begin, end - begin), path));
        }
        checkNoOverlap(path, ranges, rangeNames);
        return new Header(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    /**
     * Sorted by start, each non-empty tensor must begin at or after the furthest end seen so far. Comparing
     * neighbours only is not enough: an empty tensor between two overlapping ones would hide the overlap.
     */
    private static void checkNoOverlap(Path path, List<long[]> ranges, List<String> names) {
        Integer[] order = new Integer[ranges.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingLong(i -> ranges.get(i)[0]));
        int furthest = -1;
        for (int i : order) {
            long[] cur = ranges.get(i);
            if (cur[1] == cur[0]) {
                continue;
            }
            if (furthest >= 0 && cur[0] < ranges.get(furthest)[1]) {
                throw Esm2jException.badModel(path + ": tensors '" + names.get(furthest) + "' and '" + names.get(i)
                        + "' overlap in the file's data; the file is corrupt");
            }
            if (furthest < 0 || cur[1] > ranges.get(furthest)[1]) {
                furthest = i;
            }
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public TensorInfo get(String name) {
        return tensors.get(name);
    }

    /**
     * Reads the whole file into memory ahead of its use ({@link MemorySegment#load}: the page cache, and this process's
     * page tables), a chunk at a time, until done or {@code stop} says so: the weight upload then copies from memory
     * instead of waiting on the disk and on a page fault every 4 KiB.
     */
    void pageIn(java.util.function.BooleanSupplier stop) {
        for (long off = 0; off < mapped.byteSize() && !stop.getAsBoolean(); off += PAGE_IN_CHUNK) {
            mapped.asSlice(off, Math.min(PAGE_IN_CHUNK, mapped.byteSize() - off)).load();
        }
    }

    public long sizeBytes() {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Unmaps the file; every {@link TensorInfo} of it becomes unusable. */
    @Override
    public void close() {
        arena.close();
    }
}
