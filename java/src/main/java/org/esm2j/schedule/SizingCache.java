package org.esm2j.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * Token budgets found by {@link BatchSizer} (and the attention backend measured fastest at that budget), kept between runs in a small JSON file so that the next run on
 * the same kind of GPU, checkpoint, dtype and sequence length starts from the answer instead of searching.
 *
 * <p>The file is {@code batch-sizes.json} in {@code $ESM2J_CACHE_DIR}, else {@code $XDG_CACHE_HOME/esm2j},
 * else {@code ~/.cache/esm2j} (or the file given with {@code -Desm2j.sizing.cache}). Many jobs of a cluster
 * array may share a home directory: updates are read-merge-write under a file lock and land by atomic rename,
 * so readers never see half a file. The cache is a convenience: a missing, unreadable or corrupt file is
 * logged and ignored (a corrupt one is replaced), never a reason to fail a run.
 */
public final class SizingCache {
    private static final Logger LOG = LoggerFactory.getLogger(SizingCache.class);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final String FORMAT = "esm2j-batch-sizes";
    public static final String FILE_NAME = "batch-sizes.json";

    /**
     * What one search found.
     *
     * @param budget         tokens per batch to use
     * @param limitTokens    the largest batch that ran in the search
     * @param sequenceLength tokens per probe sequence
     * @param trials         trial batches
     * @param searchSeconds  time of the search
     * @param attention      the attention backend measured fastest at this budget ({@code cudnn}, {@code flash}); null when
     *                       not measured (a device without a choice, or a file from before the choice was cached)
     */
    public record Entry(long budget, long limitTokens, int sequenceLength, int trials, double searchSeconds, String attention) {

        public Entry(long budget, long limitTokens, int sequenceLength, int trials, double searchSeconds) {
            this(budget, limitTokens, sequenceLength, trials, searchSeconds, null);
        }

        /** This entry with the attention backend measured fastest. */
        public Entry withAttention(String backend) {
            return new Entry(budget, limitTokens, sequenceLength, trials, searchSeconds, backend);
        }
    }

    /** File locks are per process: threads of this JVM take this one first. */
    private static final Object IN_PROCESS = new Object();

    private final Path file;

    public SizingCache(Path file) {
        this.file = file;
    }

    /** The cache at its default place (see the class comment). */
    public static SizingCache atDefaultLocation() {
        return new SizingCache(defaultFile());
    }

    public static Path defaultFile() {
        String explicit = System.getProperty("esm2j.sizing.cache");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String dir = System.getenv("ESM2J_CACHE_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).resolve(FILE_NAME);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("esm2j").resolve(FILE_NAME);
    }

    /**
     * The key of one search: everything its answer depends on.
     *
     * @param device     the device's sizing key (GPU model, memory, compute dtype)
     * @param checkpoint the checkpoint's fingerprint
     * @param length     probe sequence length (tokens)
     * @param outputs    what is computed (device-side output buffers depend on it)
     */
    public static String key(String device, String checkpoint, int length, String outputs) {
        return device + " | " + checkpoint + " | " + length + " tokens | " + outputs;
    }

    public Path file() {
        return file;
    }

    public Optional<Entry> get(String key) {
        JsonNode e = read().get("entries").get(key);
        if (e == null || !e.isObject() || !e.path("budget").canConvertToLong() || e.path("budget").asLong() <= 0) {
            return Optional.empty();
        }
        String attention = e.path("attention").isString() ? e.path("attention").asString() : null;
        return Optional.of(new Entry(e.path("budget").asLong(), e.path("limit_tokens").asLong(), e.path("sequence_length").asInt(),
                e.path("trials").asInt(), e.path("search_seconds").asDouble(), attention));
    }

    public void put(String key, Entry entry) {
        synchronized (IN_PROCESS) {
            putLocked(key, entry);
        }
    }

    private void putLocked(String key, Entry entry) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                ObjectNode root = read();
                ObjectNode e = ((ObjectNode) root.get("entries")).putObject(key);
                e.put("budget", entry.budget());
                e.put("limit_tokens", entry.limitTokens());
                e.put("sequence_length", entry.sequenceLength());
                e.put("trials", entry.trials());
                e.put("search_seconds", Math.round(entry.searchSeconds() * 100) / 100.0);
                if (entry.attention() != null) {
                    e.put("attention", entry.attention());
                }
                e.put("updated", Instant.now().toString());
                Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
                Files.writeString(tmp, JSON.writeValueAsString(root) + "\n");
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not update the batch-size cache {}: {} (the next run searches again)", file, e.toString());
        }
    }

    private ObjectNode read() {
        ObjectNode root = JSON.createObjectNode();
        try {
            JsonNode n = JSON.readTree(Files.readString(file));
            if (n instanceof ObjectNode o && FORMAT.equals(o.path("format").asString("")) && o.get("entries") instanceof ObjectNode) {
                return o;
            }
            LOG.warn("{} is not an esm2j batch-size cache; ignoring it (it will be replaced)", file);
        } catch (NoSuchFileException e) {
            // First run: nothing cached yet.
        } catch (IOException e) {
            LOG.warn("cannot read the batch-size cache {}: {}; ignoring it", file, e.getMessage());
        } catch (JacksonException e) {
            LOG.warn("the batch-size cache {} is not valid JSON ({}); ignoring it (it will be replaced)", file, e.getOriginalMessage());
        }
        root.put("format", FORMAT);
        root.put("version", 1);
        root.putObject("entries");
        return root;
    }
}
